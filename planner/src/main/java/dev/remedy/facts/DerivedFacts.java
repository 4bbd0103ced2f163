package dev.remedy.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Facts computed once from a snapshot, in the shape the knowledge base's CEL conditions read: named
 * collections of items (each with a {@code ref} naming its subject) and cluster-wide values. This is where
 * domain knowledge that is not a yes/no rule lives: which manifest on which node runs a static pod, a
 * probe's kill window, the version the control plane runs.
 */
public final class DerivedFacts {

    /** The collections a scenario's {@code match.each} may name, with what one item is. */
    public static final Map<String, String> COLLECTIONS = orderedMap(
            "staticPods", "a static (mirror) pod with its manifest file, liveness probe and measured latency",
            "nodes", "a Node with its kubelet version, readiness and role");

    static final String MANIFESTS = "/etc/kubernetes/manifests";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private final Instant now;
    private final Map<String, Object> cluster;
    private final Map<String, List<Map<String, Object>>> collections;

    private DerivedFacts(Instant now, Map<String, Object> cluster, Map<String, List<Map<String, Object>>> collections) {
        this.now = now;
        this.cluster = cluster;
        this.collections = collections;
    }

    public static DerivedFacts derive(Snapshot snapshot, Instant now) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        Optional<Versions> controlPlane = controlPlaneVersion(snapshot);
        cluster.put("now", now.toString());
        controlPlane.ifPresent(v -> {
            cluster.put("controlPlaneVersion", v.toString());
            cluster.put("controlPlaneMinor", v.minor());
        });
        cluster.put("nodeCount", snapshot.nodes().size());
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>();
        List<Map<String, Object>> nodes = nodes(snapshot, now, controlPlane);
        cluster.put("kubeletVersions", countBy(nodes, "kubeletVersion"));
        cluster.put("commonKubeletVersion", mostCommon(nodes, "kubeletVersion"));
        collections.put("nodes", nodes);
        collections.put("staticPods", staticPods(snapshot, now));
        return new DerivedFacts(now, cluster, collections);
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

    // --- nodes ---------------------------------------------------------------------------------------------

    private static List<Map<String, Object>> nodes(Snapshot snapshot, Instant now, Optional<Versions> controlPlane) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Node node : snapshot.nodes()) {
            String name = node.getMetadata().getName();
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("ref", ref("Node", null, name, name));
            fact.put("name", name);
            String version = Optional.ofNullable(
                            snapshot.nodeFacts(name).map(NodeFacts::kubelet).orElse(null))
                    .map(NodeFacts.Kubelet::version)
                    .orElseGet(
                            () -> node.getStatus() == null || node.getStatus().getNodeInfo() == null
                                    ? null
                                    : node.getStatus().getNodeInfo().getKubeletVersion());
            fact.put("kubeletVersion", version);
            Versions.parse(version).ifPresent(v -> {
                fact.put("kubeletMinor", v.minor());
                controlPlane.ifPresent(cp -> fact.put("minorsBehindControlPlane", cp.minor() - v.minor()));
                controlPlane.ifPresent(cp -> fact.put("newerThanControlPlane", v.compareTo(cp) > 0));
            });
            fact.put("ready", conditionTrue(node, "Ready"));
            fact.put("controlPlane", isControlPlane(node));
            fact.put(
                    "unschedulable",
                    node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
            fact.put("ageDays", ageDays(node.getMetadata().getCreationTimestamp(), now));
            fact.put("hasNodeFacts", snapshot.nodeFacts(name).isPresent());
            result.add(fact);
        }
        return result;
    }

    private static boolean isControlPlane(Node node) {
        Map<String, String> labels =
                Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
        return labels.containsKey("node-role.kubernetes.io/master")
                || labels.containsKey("node-role.kubernetes.io/control-plane");
    }

    private static boolean conditionTrue(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition condition : node.getStatus().getConditions()) {
            if (type.equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    /** The kube-apiserver's version: from its static pod image, else the newest control-plane kubelet. */
    static Optional<Versions> controlPlaneVersion(Snapshot snapshot) {
        Optional<Versions> fromApiserver = snapshot.pods().stream()
                .filter(p -> "kube-system".equals(p.getMetadata().getNamespace()))
                .flatMap(p -> p.getSpec().getContainers().stream())
                .filter(c -> "kube-apiserver".equals(c.getName()))
                .map(c -> Versions.imageTag(c.getImage()).flatMap(Versions::parse))
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
        if (fromApiserver.isPresent()) {
            return fromApiserver;
        }
        return snapshot.nodes().stream()
                .filter(DerivedFacts::isControlPlane)
                .map(n -> Versions.parse(n.getStatus().getNodeInfo().getKubeletVersion()))
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    // --- static pods ---------------------------------------------------------------------------------------

    private static List<Map<String, Object>> staticPods(Snapshot snapshot, Instant now) {
        List<Map<String, Object>> result = new ArrayList<>();
        List<Pod> pods = new ArrayList<>(snapshot.pods());
        pods.sort(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                .thenComparing(p -> p.getMetadata().getName()));
        for (Pod pod : pods) {
            Map<String, String> annotations =
                    Optional.ofNullable(pod.getMetadata().getAnnotations()).orElse(Map.of());
            if (!annotations.containsKey(MIRROR_ANNOTATION) || pod.getSpec() == null) {
                continue;
            }
            result.add(staticPod(snapshot, pod, now));
        }
        return result;
    }

    private static Map<String, Object> staticPod(Snapshot snapshot, Pod pod, Instant now) {
        String node = pod.getSpec().getNodeName();
        String name = pod.getMetadata().getName();
        Map<String, String> labels =
                Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of());
        Container container = pod.getSpec().getContainers().get(0);
        String component = labels.getOrDefault("component", container.getName());
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("ref", ref("Pod", pod.getMetadata().getNamespace(), name, node));
        fact.put("name", name);
        fact.put("namespace", pod.getMetadata().getNamespace());
        fact.put("node", node);
        fact.put("component", component);
        fact.put("container", container.getName());
        fact.put("image", container.getImage());
        Versions.imageTag(container.getImage()).ifPresent(tag -> fact.put("imageTag", tag));
        ContainerStatus status = containerStatus(pod, container.getName());
        fact.put("restartCount", status == null || status.getRestartCount() == null ? 0 : status.getRestartCount());
        fact.put("ready", status != null && Boolean.TRUE.equals(status.getReady()));
        fact.put("ageDays", ageDays(pod.getMetadata().getCreationTimestamp(), now));
        if (status != null
                && status.getLastState() != null
                && status.getLastState().getTerminated() != null) {
            var terminated = status.getLastState().getTerminated();
            fact.put("lastTerminationReason", terminated.getReason());
            fact.put("lastExitCode", terminated.getExitCode());
            seconds(terminated.getStartedAt(), terminated.getFinishedAt())
                    .ifPresent(s -> fact.put("lastRunSeconds", s));
        }
        manifest(snapshot, node, pod).ifPresent(m -> fact.put("manifest", m));
        fact.put("probe", probe(container));
        measuredLatencyMs(snapshot, component, node).ifPresent(ms -> fact.put("measuredLatencyMs", ms));
        componentHealthy(snapshot, component, node).ifPresent(h -> fact.put("componentHealthy", h));
        etcdVersion(snapshot, node, container).ifPresent(v -> fact.put("etcdVersion", v));
        fact.put("kubeletLog", kubeletLines(snapshot, node, name, container.getName()));
        fact.put("suggestedProbe", suggestedProbe(container.getLivenessProbe(), fact));
        return fact;
    }

    private static Map<String, Object> probe(Container container) {
        Probe probe = container.getLivenessProbe();
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("yamlPath", "spec.containers[name=" + container.getName() + "].livenessProbe");
        if (probe == null) {
            fact.put("type", "none");
            return fact;
        }
        String type = probe.getExec() != null
                ? "exec"
                : probe.getHttpGet() != null ? "httpGet" : probe.getTcpSocket() != null ? "tcpSocket" : "grpc";
        fact.put("type", type);
        if (probe.getExec() != null) {
            fact.put("command", String.join(" ", probe.getExec().getCommand()).replaceAll("\\s+", " "));
        }
        if (probe.getHttpGet() != null) {
            fact.put("httpPath", probe.getHttpGet().getPath());
        }
        int timeout = orDefault(probe.getTimeoutSeconds(), 1);
        int period = orDefault(probe.getPeriodSeconds(), 10);
        int failures = orDefault(probe.getFailureThreshold(), 3);
        int delay = orDefault(probe.getInitialDelaySeconds(), 0);
        fact.put("timeoutSeconds", timeout);
        fact.put("periodSeconds", period);
        fact.put("failureThreshold", failures);
        fact.put("initialDelaySeconds", delay);
        // The prober does not overlap probes: a probe that times out holds its worker for the whole timeout,
        // so consecutive failures arrive every max(period, timeout) seconds.
        fact.put("killWindowSeconds", failures * Math.max(period, timeout));
        fact.put("spec", YAML.convertValue(probe, Map.class));
        return fact;
    }

    /**
     * Probe values that tolerate the measured latency with a margin: the timeout at twice the slowest
     * measured read, rounded up to whole seconds, the period no shorter than the timeout (so probes do not
     * queue), the failure threshold and initial delay as they were.
     */
    private static Map<String, Object> suggestedProbe(Probe probe, Map<String, Object> fact) {
        Map<String, Object> suggested = new LinkedHashMap<>();
        if (probe == null || !(fact.get("measuredLatencyMs") instanceof Double latencyMs)) {
            return suggested;
        }
        int timeout = Math.max(orDefault(probe.getTimeoutSeconds(), 1), (int) Math.ceil(2 * latencyMs / 1000.0));
        int period = Math.max(orDefault(probe.getPeriodSeconds(), 10), timeout);
        int failures = orDefault(probe.getFailureThreshold(), 3);
        suggested.put("timeoutSeconds", timeout);
        suggested.put("periodSeconds", period);
        suggested.put("failureThreshold", failures);
        suggested.put("killWindowSeconds", failures * Math.max(period, timeout));
        return suggested;
    }

    private static Optional<Map<String, Object>> manifest(Snapshot snapshot, String node, Pod pod) {
        Optional<NodeFacts> facts = snapshot.nodeFacts(node);
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        for (NodeFacts.HostFile file : facts.get().filesIn(MANIFESTS)) {
            Optional<JsonNode> manifest = parseYaml(file.content());
            if (manifest.isEmpty()) {
                continue;
            }
            String manifestName = manifest.get().path("metadata").path("name").asText("");
            if (pod.getMetadata().getName().equals(manifestName + "-" + node)) {
                Map<String, Object> fact = new LinkedHashMap<>();
                fact.put("path", file.path());
                fact.put("sha256", sha256(file.content()));
                return Optional.of(fact);
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> measuredLatencyMs(Snapshot snapshot, String component, String node) {
        if (!component.equals("etcd")) {
            return Optional.empty();
        }
        return etcdMember(snapshot, node).map(EtcdFacts.Member::readLatencyMs);
    }

    private static Optional<Boolean> componentHealthy(Snapshot snapshot, String component, String node) {
        if (!component.equals("etcd")) {
            return Optional.empty();
        }
        return etcdMember(snapshot, node).map(m -> m.healthy());
    }

    private static Optional<String> etcdVersion(Snapshot snapshot, String node, Container container) {
        if (!container.getName().equals("etcd")) {
            return Optional.empty();
        }
        return etcdMember(snapshot, node)
                .map(EtcdFacts.Member::version)
                .or(() -> Versions.imageTag(container.getImage()));
    }

    /** The etcd member on {@code node}: by member name, else by the node's addresses in its client URL. */
    static Optional<EtcdFacts.Member> etcdMember(Snapshot snapshot, String node) {
        if (snapshot.etcd().isEmpty()) {
            return Optional.empty();
        }
        List<String> addresses = new ArrayList<>();
        snapshot.nodes().stream()
                .filter(n -> n.getMetadata().getName().equals(node))
                .filter(n -> n.getStatus() != null && n.getStatus().getAddresses() != null)
                .forEach(n -> n.getStatus().getAddresses().forEach(a -> addresses.add(a.getAddress())));
        for (EtcdFacts.Member member : snapshot.etcd().get().members()) {
            if (node.equals(member.name()) || addresses.contains(member.clientHost())) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    private static List<String> kubeletLines(Snapshot snapshot, String node, String podName, String container) {
        List<String> lines = new ArrayList<>();
        snapshot.nodeFacts(node).ifPresent(facts -> {
            for (String line : facts.logs("kubelet")) {
                if (line.contains(podName) || line.contains("Name:" + container + " ")) {
                    lines.add(line);
                }
            }
        });
        return lines;
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static Map<String, Object> ref(String kind, String namespace, String name, String node) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("kind", kind);
        if (namespace != null) {
            ref.put("namespace", namespace);
        }
        ref.put("name", name);
        if (node != null) {
            ref.put("node", node);
        }
        return ref;
    }

    private static ContainerStatus containerStatus(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> container.equals(s.getName()))
                .findFirst()
                .orElse(null);
    }

    static Optional<JsonNode> parseYaml(String content) {
        try {
            JsonNode node = YAML.readTree(content);
            return node == null || !node.isObject() ? Optional.empty() : Optional.of(node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static String sha256(String content) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256.", e);
        }
    }

    private static Optional<Long> seconds(String from, String to) {
        try {
            return Optional.of(
                    Duration.between(Instant.parse(from), Instant.parse(to)).toSeconds());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long ageDays(String creationTimestamp, Instant now) {
        try {
            return Duration.between(Instant.parse(creationTimestamp), now).toDays();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static Map<String, Long> countBy(List<Map<String, Object>> items, String key) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> item : items) {
            Object value = item.get(key);
            if (value != null) {
                counts.merge(value.toString(), 1L, Long::sum);
            }
        }
        return counts;
    }

    private static String mostCommon(List<Map<String, Object>> items, String key) {
        return countBy(items, key).entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
