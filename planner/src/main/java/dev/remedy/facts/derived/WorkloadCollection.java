package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code workloads}: every Deployment, StatefulSet and DaemonSet with the containers whose pods are being
 * OOMKilled now (last terminated OOMKilled and currently crash-looping or not ready, found through the pods'
 * ownerReferences), each container's memory limit in the pod template and the raised limit, and the one patch
 * that raises them all.
 */
public final class WorkloadCollection implements FactCollection {

    @Override
    public String name() {
        return "workloads";
    }

    @Override
    public String description() {
        return "a Deployment, StatefulSet or DaemonSet with its containers OOMKilled now and the raised memory limits";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<HasMetadata> workloads = new ArrayList<>();
        workloads.addAll(snapshot.deployments());
        workloads.addAll(snapshot.statefulSets());
        workloads.addAll(snapshot.daemonSets());
        workloads.sort(Comparator.comparing(
                        (HasMetadata w) -> Objects.toString(w.getMetadata().getNamespace(), ""))
                .thenComparing(w -> w.getMetadata().getName())
                .thenComparing(HasMetadata::getKind));
        // Pods are grouped by their workload object, whose key is worked out once, not once per pod.
        Map<String, List<Pod>> podsByWorkload = new HashMap<>();
        Map<HasMetadata, List<Pod>> podsOfObject = new IdentityHashMap<>();
        Function<HasMetadata, List<Pod>> podsOf = o -> podsByWorkload.computeIfAbsent(key(o), k -> new ArrayList<>());
        // Replicas are neighbours in name order and share their chain: a pod with the previous pod's chain joins the
        // previous pod's list without a lookup.
        OwnerChain lastChain = null;
        List<Pod> lastPods = null;
        for (PodCollection.Keyed pod : context.sortedKeyed()) {
            OwnerChain chain = pod.chain();
            if (chain != lastChain) {
                // The chain's owners, not its Optional workload, and one lambda for every pod: an object or two per
                // pod add up at 150,000.
                List<HasMetadata> chainOwners = chain.owners();
                lastPods = chainOwners.isEmpty() ? null : podsOfObject.computeIfAbsent(chainOwners.getLast(), podsOf);
                lastChain = chain;
            }
            if (lastPods != null) {
                lastPods.add(pod.pod());
            }
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (HasMetadata workload : workloads) {
            result.add(workload(workload, podsByWorkload.getOrDefault(key(workload), List.of())));
        }
        return result;
    }

    private static String key(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getNamespace() + "/"
                + object.getMetadata().getName();
    }

    private static Map<String, Object> workload(HasMetadata workload, List<Pod> pods) {
        String namespace = workload.getMetadata().getNamespace();
        Map<String, Object> fact = new FactMap(16);
        fact.put(
                "ref",
                Facts.ref(workload.getKind(), namespace, workload.getMetadata().getName(), null));
        fact.put("kind", workload.getKind());
        fact.put("name", workload.getMetadata().getName());
        fact.put("namespace", namespace);
        if (workload.getMetadata().getResourceVersion() != null) {
            fact.put("resourceVersion", workload.getMetadata().getResourceVersion());
        }
        replicas(workload).ifPresent(r -> fact.put("replicas", r));
        fact.put("pods", pods.size());
        PodTemplateSpec template = template(workload);
        List<Map<String, Object>> oomKilled = new ArrayList<>();
        List<Map<String, Object>> patchContainers = new ArrayList<>();
        List<Container> declared = template == null || template.getSpec() == null
                ? List.of()
                : template.getSpec().getContainers();
        for (Container container : declared) {
            List<String> victims = new ArrayList<>();
            int restarts = 0;
            Integer exitCode = null;
            for (Pod pod : pods) {
                ContainerStatus status = Facts.containerStatus(pod, container.getName());
                if (status == null || !oomKilledNow(status)) {
                    continue;
                }
                victims.add(pod.getMetadata().getName());
                restarts = Math.max(restarts, Facts.orDefault(status.getRestartCount(), 0));
                exitCode = status.getLastState().getTerminated().getExitCode();
            }
            if (victims.isEmpty()) {
                continue;
            }
            Map<String, Object> oom = new LinkedHashMap<>();
            oom.put("container", container.getName());
            oom.put("pods", victims);
            oom.put("restartCount", restarts);
            if (exitCode != null) {
                oom.put("lastExitCode", exitCode);
            }
            Optional<String> limit = resource(container, "limits");
            limit.ifPresent(l -> oom.put("memoryLimit", l));
            Optional<String> raised = limit.flatMap(Quantities::raisedMemoryLimit);
            raised.ifPresent(r -> {
                oom.put("suggestedMemoryLimit", r);
                patchContainers.add(patchContainer(container, limit.get(), r));
            });
            oomKilled.add(oom);
        }
        fact.put("oomKilled", oomKilled);
        if (!patchContainers.isEmpty()) {
            fact.put(
                    "memoryPatch",
                    Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", patchContainers)))));
        }
        return fact;
    }

    /**
     * Whether the container is being OOMKilled now: its last run ended OOMKilled and it is not running ready
     * (waiting to restart, or restarted and not ready yet). A pod that was OOMKilled once long ago and is
     * Ready now is not.
     */
    static boolean oomKilledNow(ContainerStatus status) {
        boolean lastOom = status.getLastState() != null
                && status.getLastState().getTerminated() != null
                && "OOMKilled".equals(status.getLastState().getTerminated().getReason());
        boolean currentOom = status.getState() != null
                && status.getState().getTerminated() != null
                && "OOMKilled".equals(status.getState().getTerminated().getReason());
        return (lastOom && !Boolean.TRUE.equals(status.getReady())) || currentOom;
    }

    /**
     * The container of the strategic-merge patch: the raised limit, and the request raised with it where it
     * equalled the limit, so a Guaranteed pod stays Guaranteed.
     */
    private static Map<String, Object> patchContainer(Container container, String limit, String raised) {
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("limits", Map.of("memory", raised));
        Optional<String> request = resource(container, "requests");
        if (request.isPresent() && Quantities.bytes(request.get()).equals(Quantities.bytes(limit))) {
            resources.put("requests", Map.of("memory", raised));
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("name", container.getName());
        patch.put("resources", resources);
        return patch;
    }

    private static Optional<String> resource(Container container, String kind) {
        if (container.getResources() == null) {
            return Optional.empty();
        }
        Map<String, Quantity> values = kind.equals("limits")
                ? container.getResources().getLimits()
                : container.getResources().getRequests();
        return Optional.ofNullable(values).map(v -> v.get("memory")).map(Quantity::toString);
    }

    private static PodTemplateSpec template(HasMetadata workload) {
        return switch (workload) {
            case Deployment d -> d.getSpec() == null ? null : d.getSpec().getTemplate();
            case StatefulSet s -> s.getSpec() == null ? null : s.getSpec().getTemplate();
            case DaemonSet d -> d.getSpec() == null ? null : d.getSpec().getTemplate();
            default -> null;
        };
    }

    private static Optional<Integer> replicas(HasMetadata workload) {
        return switch (workload) {
            case Deployment d -> Optional.ofNullable(d.getSpec()).map(s -> Facts.orDefault(s.getReplicas(), 1));
            case StatefulSet s -> Optional.ofNullable(s.getSpec()).map(sp -> Facts.orDefault(sp.getReplicas(), 1));
            default -> Optional.empty();
        };
    }
}
