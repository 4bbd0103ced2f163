package dev.remedy.facts.live;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the API objects the planner uses, kind by kind and page by page ({@code limit}/{@code continue}), so
 * that a cluster with 150,000 pods is never held in one response. A kind that cannot be read (forbidden, not
 * served, timed out) becomes a problem in the account and the other kinds are still read.
 */
public final class ApiCollector {

    /** The kube-system ConfigMaps the planner reads; other ConfigMaps are not collected. */
    public static final List<String> CONFIG_MAPS = List.of("cluster-autoscaler-status", "kubeadm-config");

    static final String CONTROL_PLANE_NAMESPACE = "kube-system";

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final int pageSize;
    private final Duration timeout;
    private final Progress progress;

    /**
     * @param namespaces the namespaces to read namespaced kinds in; empty for all namespaces
     */
    public ApiCollector(
            KubernetesClient client, List<String> namespaces, int pageSize, Duration timeout, Progress progress) {
        this.client = client;
        this.namespaces = List.copyOf(namespaces);
        this.pageSize = pageSize;
        this.timeout = timeout;
        this.progress = progress;
    }

    /**
     * The namespaces to read: all of them, or the one asked for together with kube-system, where the control
     * plane runs; without kube-system's static pods no control-plane finding could be made.
     */
    public static List<String> namespaces(ClusterTarget target, String contextNamespace) {
        if (target.allNamespaces()) {
            return List.of();
        }
        TreeSet<String> namespaces = new TreeSet<>();
        namespaces.add(target.namespace().orElse(contextNamespace));
        namespaces.add(CONTROL_PLANE_NAMESPACE);
        return List.copyOf(namespaces);
    }

    public List<HasMetadata> collect(CollectionLog log) {
        List<HasMetadata> objects = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        int attempts = 0;
        list("nodes", null, o -> client.nodes().list(o), objects, log, failures);
        attempts++;
        for (String namespace : namespaces.isEmpty() ? java.util.Collections.<String>singletonList(null) : namespaces) {
            attempts += namespaced(namespace, objects, log, failures);
        }
        for (String name : CONFIG_MAPS) {
            attempts++;
            String what = "configmap " + CONTROL_PLANE_NAMESPACE + "/" + name;
            try {
                ConfigMap map = client.configMaps()
                        .inNamespace(CONTROL_PLANE_NAMESPACE)
                        .withName(name)
                        .get();
                if (map != null) {
                    objects.add(map);
                    log.collected(what);
                } else {
                    log.collected(what + " (absent)");
                }
            } catch (KubernetesClientException e) {
                failures.add(e);
                log.problem(what, Failure.reason(e, timeout));
            }
        }
        if (failures.size() == attempts && failures.stream().allMatch(Failure::isUnreachable)) {
            throw new ClusterException("The API server (" + client.getMasterUrl() + ") cannot be reached: "
                    + Failure.reason(failures.get(0), timeout)
                    + ". Maybe check --context, the VPN or `kubectl cluster-info`.");
        }
        return objects;
    }

    private int namespaced(String ns, List<HasMetadata> objects, CollectionLog log, List<Throwable> failures) {
        int attempts = 0;
        attempts += list("pods", ns, o -> in(client.pods(), ns, o), objects, log, failures);
        attempts += list("deployments", ns, o -> in(client.apps().deployments(), ns, o), objects, log, failures);
        attempts += list("replicasets", ns, o -> in(client.apps().replicaSets(), ns, o), objects, log, failures);
        attempts += list("daemonsets", ns, o -> in(client.apps().daemonSets(), ns, o), objects, log, failures);
        attempts += list("statefulsets", ns, o -> in(client.apps().statefulSets(), ns, o), objects, log, failures);
        attempts += list("services", ns, o -> in(client.services(), ns, o), objects, log, failures);
        attempts += list("endpoints", ns, o -> in(client.endpoints(), ns, o), objects, log, failures);
        attempts += list(
                "endpointslices.discovery.k8s.io",
                ns,
                o -> in(client.discovery().v1().endpointSlices(), ns, o),
                objects,
                log,
                failures);
        attempts += list(
                "poddisruptionbudgets.policy",
                ns,
                o -> in(client.policy().v1().podDisruptionBudget(), ns, o),
                objects,
                log,
                failures);
        attempts += list("events", ns, o -> in(client.v1().events(), ns, o), objects, log, failures);
        return attempts;
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> L in(
            MixedOperation<T, L, ?> operation, String namespace, ListOptions options) {
        return namespace == null
                ? operation.inAnyNamespace().list(options)
                : operation.inNamespace(namespace).list(options);
    }

    private int list(
            String resource,
            String namespace,
            Lister lister,
            List<HasMetadata> objects,
            CollectionLog log,
            List<Throwable> failures) {
        String what = resource
                + (namespace == null
                        ? (resource.equals("nodes") ? "" : " (all namespaces)")
                        : " in namespace " + namespace);
        List<HasMetadata> read = new ArrayList<>();
        String next = null;
        int pages = 0;
        try {
            do {
                ListOptions options = new ListOptionsBuilder()
                        .withLimit((long) pageSize)
                        .withContinue(next)
                        .build();
                KubernetesResourceList<? extends HasMetadata> page = lister.list(options);
                read.addAll(page.getItems());
                pages++;
                next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
                progress.update(what + ": " + read.size());
            } while (next != null && !next.isEmpty());
        } catch (KubernetesClientException e) {
            failures.add(e);
            String reason = Failure.reason(e, timeout);
            if (e.getCode() == 410) {
                reason = "the list changed too much while it was read in pages (410 Gone after " + read.size()
                        + " items); maybe run again, or with a larger page";
            }
            // Half a list is not kept: a missing pod must never look like a pod that is not there.
            log.problem(what, reason);
            return 1;
        }
        objects.addAll(read);
        log.collected(what + ": " + read.size() + (pages > 1 ? " in " + pages + " pages" : ""));
        return 1;
    }

    @FunctionalInterface
    private interface Lister {
        KubernetesResourceList<? extends HasMetadata> list(ListOptions options);
    }
}
