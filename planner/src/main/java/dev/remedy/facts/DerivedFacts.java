package dev.remedy.facts;

import dev.remedy.facts.derived.ApiserverCollection;
import dev.remedy.facts.derived.ApiserverEtcdTrustCollection;
import dev.remedy.facts.derived.CertificateCollection;
import dev.remedy.facts.derived.CloudAuthFailureCollection;
import dev.remedy.facts.derived.ClusterAutoscalerCollection;
import dev.remedy.facts.derived.CniDaemonSetCollection;
import dev.remedy.facts.derived.CniNodeCollection;
import dev.remedy.facts.derived.ControlPlaneManifestCollection;
import dev.remedy.facts.derived.EtcdClusterCollection;
import dev.remedy.facts.derived.EtcdMemberCollection;
import dev.remedy.facts.derived.FactCollection;
import dev.remedy.facts.derived.FactContext;
import dev.remedy.facts.derived.Facts;
import dev.remedy.facts.derived.KubeletCollection;
import dev.remedy.facts.derived.NodeCollection;
import dev.remedy.facts.derived.PodCollection;
import dev.remedy.facts.derived.PodDisruptionBudgetCollection;
import dev.remedy.facts.derived.ServiceCollection;
import dev.remedy.facts.derived.StaticPodCollection;
import dev.remedy.facts.derived.WorkloadCollection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Facts computed once from a snapshot, in the shape the knowledge base's CEL conditions read: cluster-wide
 * values ({@code cluster}) and named collections of items ({@code subject}). This is where domain knowledge
 * that is not a yes/no rule lives: which manifest on which node runs a static pod, a probe's kill window,
 * the version the control plane runs. Adding a collection is adding a {@link FactCollection} to
 * {@link #REGISTRY}.
 */
public final class DerivedFacts {

    /** Every fact collection, in the order they are derived. */
    public static final List<FactCollection> REGISTRY = List.of(
            new NodeCollection(),
            new StaticPodCollection(),
            new ControlPlaneManifestCollection(),
            new CniDaemonSetCollection(),
            new CniNodeCollection(),
            new CloudAuthFailureCollection(),
            new ApiserverEtcdTrustCollection(),
            new EtcdClusterCollection(),
            new CertificateCollection(),
            new EtcdMemberCollection(),
            new PodCollection(),
            new WorkloadCollection(),
            new ServiceCollection(),
            new PodDisruptionBudgetCollection(),
            new KubeletCollection(),
            new ApiserverCollection(),
            new ClusterAutoscalerCollection());

    /**
     * Two: the machines this runs on may have no more cores, and the verifier reads its own facts on a third
     * thread meanwhile ({@code Planner}).
     */
    private static final int THREADS = 2;

    /**
     * {@link #REGISTRY} positions in the order threads take them. Pods first, by far the largest (a pass over every
     * pod that builds a map per pod and container, after sorting them); meanwhile the other thread derives the
     * collections that need no sorted pods, so that it does not wait for the sort, and then the rest.
     */
    private static final List<Integer> SCHEDULE = schedule(List.of(
            "pods",
            "nodes",
            "controlPlaneManifests",
            "cloudAuthFailures",
            "apiserverEtcdTrust",
            "etcdCluster",
            "certificates",
            "etcdMembers",
            "kubelets",
            "apiservers",
            "clusterAutoscalers",
            "staticPods",
            "cniDaemonSets",
            "cniNodes",
            "workloads",
            "services",
            "podDisruptionBudgets"));

    /** The collections a scenario's {@code match.each} may name, with what one item is. */
    public static final Map<String, String> COLLECTIONS = describe(REGISTRY);

    private final Instant now;
    private final Map<String, Object> cluster;
    private final Map<String, List<Map<String, Object>>> collections;

    private DerivedFacts(Instant now, Map<String, Object> cluster, Map<String, List<Map<String, Object>>> collections) {
        this.now = now;
        this.cluster = cluster;
        this.collections = collections;
    }

    public static DerivedFacts derive(Snapshot snapshot, Instant now) {
        return derive(snapshot, now, THREADS);
    }

    /**
     * The facts, with the collections derived on {@code threads} threads (this one and {@code threads - 1} more):
     * each thread takes the next collection not yet taken, pods first as the largest, and the results are kept
     * in {@link #REGISTRY} order, so that the facts are the same on any number of threads.
     */
    static DerivedFacts derive(Snapshot snapshot, Instant now, int threads) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        FactContext context = new FactContext(snapshot, now, cluster);
        cluster(context, cluster);
        List<List<Map<String, Object>>> derived = deriveAll(context, threads);
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>();
        for (int i = 0; i < REGISTRY.size(); i++) {
            collections.put(REGISTRY.get(i).name(), derived.get(i));
        }
        List<Map<String, Object>> nodes = collections.get("nodes");
        cluster.put("kubeletVersions", Facts.countBy(nodes, "kubeletVersion"));
        cluster.put("commonKubeletVersion", Facts.mostCommon(nodes, "kubeletVersion"));
        return new DerivedFacts(now, cluster, collections);
    }

    /**
     * Each collection's items by {@link #REGISTRY} position. A collection that throws does not stop the others:
     * once all are derived, the failure of the first in registry order is thrown, as on one thread.
     */
    private static List<List<Map<String, Object>>> deriveAll(FactContext context, int threads) {
        List<Map<String, Object>>[] results = newArray(REGISTRY.size());
        Throwable[] failures = new Throwable[REGISTRY.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int taken = next.getAndIncrement(); taken < SCHEDULE.size(); taken = next.getAndIncrement()) {
                int position = SCHEDULE.get(taken);
                try {
                    results[position] = REGISTRY.get(position).derive(context);
                } catch (RuntimeException | Error e) {
                    failures[position] = e;
                }
            }
        };
        List<FutureTask<Void>> helpers = new ArrayList<>();
        for (int i = 1; i < threads; i++) {
            FutureTask<Void> helper = new FutureTask<>(worker, null);
            Thread.ofPlatform().name("derive-facts").daemon(true).start(helper);
            helpers.add(helper);
        }
        worker.run();
        // The join is what makes the helpers' results and failures visible to this thread.
        helpers.forEach(DerivedFacts::join);
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
        }
        return Arrays.asList(results);
    }

    @SuppressWarnings("unchecked") // An array of a generic type can only be made raw.
    private static List<Map<String, Object>>[] newArray(int size) {
        return new List[size];
    }

    private static void join(FutureTask<Void> helper) {
        try {
            helper.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while deriving facts.", e);
        } catch (ExecutionException e) {
            // The worker keeps each collection's failure; nothing else in it throws.
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The registry positions of {@code names}, which must name every collection once. */
    static List<Integer> schedule(List<String> names) {
        List<String> registered = REGISTRY.stream().map(FactCollection::name).toList();
        if (names.size() != registered.size() || !names.containsAll(registered)) {
            throw new IllegalStateException("The derivation schedule (" + names
                    + ") does not name each collection of the registry (" + registered
                    + ") once.\nMaybe add the new collection to it.");
        }
        return names.stream().map(registered::indexOf).toList();
    }

    /** Fills in the cluster-wide facts, before any collection reads them. */
    private static void cluster(FactContext context, Map<String, Object> cluster) {
        Snapshot snapshot = context.snapshot();
        cluster.put("now", context.now().toString());
        controlPlaneVersion(snapshot, context.systemPods()).ifPresent(v -> {
            cluster.put("controlPlaneVersion", v.toString());
            cluster.put("controlPlaneMinor", v.minor());
        });
        cluster.put("nodeCount", snapshot.nodes().size());
        cluster.put(
                "nodesWithoutHostFacts",
                snapshot.nodes().stream()
                        .map(n -> n.getMetadata().getName())
                        .filter(name -> snapshot.nodeFacts(name).isEmpty())
                        .toList());
        cluster.put(
                "controlPlaneNodesWithoutHostFacts",
                snapshot.nodes().stream()
                        .filter(Facts::isControlPlane)
                        .map(n -> n.getMetadata().getName())
                        .filter(name -> snapshot.nodeFacts(name).isEmpty())
                        .toList());
        snapshot.etcd().ifPresent(etcd -> {
            long healthy =
                    etcd.members().stream().filter(EtcdFacts.Member::isHealthy).count();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("members", etcd.members().size());
            facts.put("healthy", healthy);
            facts.put("quorum", etcd.members().size() / 2 + 1);
            cluster.put("etcd", facts);
        });
    }

    public Instant now() {
        return now;
    }

    public Map<String, Object> cluster() {
        return cluster;
    }

    public List<Map<String, Object>> collection(String name) {
        return collections.getOrDefault(name, List.of());
    }

    /**
     * The kube-apiserver's version: from its static pod image among the kube-system pods ({@code systemPods}), else
     * the newest control-plane kubelet.
     */
    private static Optional<Versions> controlPlaneVersion(Snapshot snapshot, List<Pod> systemPods) {
        // Loops, not a stream of each pod's containers: kube-system holds a few pods per node, 15,000 at 5,000 nodes.
        Versions fromApiserver = null;
        for (Pod pod : systemPods) {
            if (pod.getSpec() == null) {
                continue;
            }
            for (Container container : pod.getSpec().getContainers()) {
                if (!"kube-apiserver".equals(container.getName())) {
                    continue;
                }
                Optional<Versions> version =
                        Versions.imageTag(container.getImage()).flatMap(Versions::parse);
                if (version.isPresent()
                        && (fromApiserver == null || version.get().compareTo(fromApiserver) > 0)) {
                    fromApiserver = version.get();
                }
            }
        }
        if (fromApiserver != null) {
            return Optional.of(fromApiserver);
        }
        return snapshot.nodes().stream()
                .filter(Facts::isControlPlane)
                .map(DerivedFacts::kubeletVersion)
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    private static Optional<Versions> kubeletVersion(Node node) {
        return node.getStatus() == null || node.getStatus().getNodeInfo() == null
                ? Optional.empty()
                : Versions.parse(node.getStatus().getNodeInfo().getKubeletVersion());
    }

    private static Map<String, String> describe(List<FactCollection> registry) {
        Map<String, String> map = new LinkedHashMap<>();
        registry.forEach(c -> map.put(c.name(), c.description()));
        return map;
    }
}
