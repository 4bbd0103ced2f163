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
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        Map<String, Object> cluster = cluster(snapshot, now);
        FactContext context = new FactContext(snapshot, now, cluster);
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>();
        for (FactCollection collection : REGISTRY) {
            collections.put(collection.name(), collection.derive(context));
        }
        List<Map<String, Object>> nodes = collections.get("nodes");
        cluster.put("kubeletVersions", Facts.countBy(nodes, "kubeletVersion"));
        cluster.put("commonKubeletVersion", Facts.mostCommon(nodes, "kubeletVersion"));
        return new DerivedFacts(now, cluster, collections);
    }

    private static Map<String, Object> cluster(Snapshot snapshot, Instant now) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("now", now.toString());
        controlPlaneVersion(snapshot).ifPresent(v -> {
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
        return cluster;
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

    /** The kube-apiserver's version: from its static pod image, else the newest control-plane kubelet. */
    public static Optional<Versions> controlPlaneVersion(Snapshot snapshot) {
        Optional<Versions> fromApiserver = snapshot.pods().stream()
                .filter(p -> "kube-system".equals(p.getMetadata().getNamespace()) && p.getSpec() != null)
                .flatMap(p -> p.getSpec().getContainers().stream())
                .filter(c -> "kube-apiserver".equals(c.getName()))
                .map(c -> Versions.imageTag(c.getImage()).flatMap(Versions::parse))
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
        if (fromApiserver.isPresent()) {
            return fromApiserver;
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
