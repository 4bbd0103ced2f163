package dev.remedy.facts.live;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.SnapshotContent;
import dev.remedy.facts.SnapshotInfo;
import dev.remedy.facts.SnapshotReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Collects from a live cluster everything a snapshot holds: API objects, each kubelet's configuration, host
 * facts when asked for, and etcd measurements; with an account of what was read and what could not be. The
 * result goes through the same writer and reader as a snapshot, so a plan from the cluster and a plan from its
 * snapshot are the same plan.
 */
public final class LiveCollector {

    private final ClusterConnection connection;
    private final ClusterTarget target;
    private final LiveOptions options;
    private final Progress progress;
    private final Clock clock;

    public LiveCollector(
            ClusterConnection connection, ClusterTarget target, LiveOptions options, Progress progress, Clock clock) {
        this.connection = connection;
        this.target = target;
        this.options = options;
        this.progress = progress;
        this.clock = clock;
    }

    public SnapshotContent collect() {
        Instant collectedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        CollectionLog log = new CollectionLog();
        Duration timeout = target.requestTimeout().orElse(ClusterConnection.DEFAULT_REQUEST_TIMEOUT);
        try {
            List<HasMetadata> objects = new ApiCollector(
                            connection.client(),
                            ApiCollector.namespaces(target, connection.namespace()),
                            options.pageSize(),
                            timeout,
                            progress)
                    .collect(log);
            List<Node> nodes = objects.stream()
                    .filter(Node.class::isInstance)
                    .map(Node.class::cast)
                    .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
                    .toList();
            List<String> nodeNames =
                    nodes.stream().map(n -> n.getMetadata().getName()).toList();
            Map<String, Map<String, Object>> kubeletConfigs =
                    new KubeletConfigCollector(connection.client(), timeout, 8).collect(nodeNames, log, progress);
            Map<String, NodeFacts> hostFacts = options.nodeFacts()
                    ? new NodeFactsCollector(connection.client(), options, timeout).collect(nodeNames, log, progress)
                    : Map.of();
            List<NodeFacts> nodeFacts = nodeFacts(nodes, kubeletConfigs, hostFacts);
            Optional<EtcdFacts> etcd = etcd(objects, log);
            SnapshotInfo info = new SnapshotInfo(
                    SnapshotReader.API_VERSION,
                    SnapshotInfo.KIND,
                    FactsMetadata.named("snapshot"),
                    collectedAt.toString(),
                    connection.context(),
                    connection.server(),
                    log.collected(),
                    log.problems());
            return new SnapshotContent(objects, nodeFacts, etcd, info);
        } finally {
            progress.done();
        }
    }

    private Optional<EtcdFacts> etcd(List<HasMetadata> objects, CollectionLog log) {
        List<PodExecEtcdctl> candidates = objects.stream()
                .filter(Pod.class::isInstance)
                .map(Pod.class::cast)
                .filter(p -> ApiCollector.CONTROL_PLANE_NAMESPACE.equals(
                        p.getMetadata().getNamespace()))
                .filter(LiveCollector::isEtcd)
                .filter(p ->
                        p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .flatMap(p -> PodExecEtcdctl.of(connection.client(), p, options.etcdTimeout()).stream())
                .toList();
        boolean anyEtcdPod = objects.stream()
                .filter(Pod.class::isInstance)
                .map(Pod.class::cast)
                .anyMatch(LiveCollector::isEtcd);
        if (!anyEtcdPod) {
            log.collected("etcd: no etcd pod in kube-system (a managed or external etcd is not measured)");
            return Optional.empty();
        }
        progress.update("etcd");
        return new EtcdCollector(options.etcdTimeout()).collect(candidates, log);
    }

    private static boolean isEtcd(Pod pod) {
        Map<String, String> labels =
                Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of());
        return "etcd".equals(labels.get("component"))
                || pod.getMetadata().getName().startsWith("etcd-");
    }

    private static List<NodeFacts> nodeFacts(
            List<Node> nodes, Map<String, Map<String, Object>> configs, Map<String, NodeFacts> hostFacts) {
        List<NodeFacts> result = new ArrayList<>();
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            Map<String, Object> config = configs.get(name);
            NodeFacts host = hostFacts.get(name);
            if (config == null && host == null) {
                continue;
            }
            String version = node.getStatus() == null || node.getStatus().getNodeInfo() == null
                    ? null
                    : node.getStatus().getNodeInfo().getKubeletVersion();
            Map<String, String> annotations = new TreeMap<>();
            annotations.put(
                    "remedy.dev/sources",
                    String.join(
                            ",",
                            (config != null ? "configz" : "")
                                    + (config != null && host != null ? "," : "")
                                    + (host != null ? "host" : "")));
            result.add(new NodeFacts(
                    SnapshotReader.API_VERSION,
                    NodeFacts.KIND,
                    new FactsMetadata(name, Map.of(), annotations),
                    host == null ? List.of() : host.files(),
                    new NodeFacts.Kubelet(version, List.of(), config),
                    host == null ? Map.of() : host.logs()));
        }
        return result;
    }
}
