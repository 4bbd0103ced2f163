package dev.remedy.facts.derived;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.Versions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code staticPods}: every mirror pod (annotation {@code kubernetes.io/config.mirror}) with the manifest file
 * on its node that runs it, its liveness probe and kill window, and, for etcd, the measured read latency and
 * health of the member on that node.
 */
public final class StaticPodCollection implements FactCollection {

    static final String MANIFESTS = "/etc/kubernetes/manifests";
    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    @Override
    public String name() {
        return "staticPods";
    }

    @Override
    public String description() {
        return "a static (mirror) pod with its manifest file, liveness probe, kill window and measured latency";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        Instant now = context.now();
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
        fact.put("ref", Facts.ref("Pod", pod.getMetadata().getNamespace(), name, node));
        fact.put("name", name);
        fact.put("namespace", pod.getMetadata().getNamespace());
        fact.put("node", node);
        fact.put("component", component);
        fact.put("container", container.getName());
        fact.put("image", container.getImage());
        Versions.imageTag(container.getImage()).ifPresent(tag -> fact.put("imageTag", tag));
        ContainerStatus status = Facts.containerStatus(pod, container.getName());
        fact.put("restartCount", status == null || status.getRestartCount() == null ? 0 : status.getRestartCount());
        fact.put("ready", status != null && Boolean.TRUE.equals(status.getReady()));
        fact.put("ageDays", Facts.ageDays(pod.getMetadata().getCreationTimestamp(), now));
        if (status != null
                && status.getLastState() != null
                && status.getLastState().getTerminated() != null) {
            var terminated = status.getLastState().getTerminated();
            fact.put("lastTerminationReason", terminated.getReason());
            fact.put("lastExitCode", terminated.getExitCode());
            Facts.seconds(terminated.getStartedAt(), terminated.getFinishedAt())
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
        int timeout = Facts.orDefault(probe.getTimeoutSeconds(), 1);
        int period = Facts.orDefault(probe.getPeriodSeconds(), 10);
        int failures = Facts.orDefault(probe.getFailureThreshold(), 3);
        int delay = Facts.orDefault(probe.getInitialDelaySeconds(), 0);
        fact.put("timeoutSeconds", timeout);
        fact.put("periodSeconds", period);
        fact.put("failureThreshold", failures);
        fact.put("initialDelaySeconds", delay);
        // The prober does not overlap probes: a probe that times out holds its worker for the whole timeout,
        // so consecutive failures arrive every max(period, timeout) seconds.
        fact.put("killWindowSeconds", failures * Math.max(period, timeout));
        fact.put("spec", Facts.YAML.convertValue(probe, Map.class));
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
        int timeout = Math.max(Facts.orDefault(probe.getTimeoutSeconds(), 1), (int) Math.ceil(2 * latencyMs / 1000.0));
        int period = Math.max(Facts.orDefault(probe.getPeriodSeconds(), 10), timeout);
        int failures = Facts.orDefault(probe.getFailureThreshold(), 3);
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
            Optional<JsonNode> manifest = Facts.parseYaml(file.content());
            if (manifest.isEmpty()) {
                continue;
            }
            String manifestName = manifest.get().path("metadata").path("name").asText("");
            if (pod.getMetadata().getName().equals(manifestName + "-" + node)) {
                Map<String, Object> fact = new LinkedHashMap<>();
                fact.put("path", file.path());
                fact.put("sha256", Facts.sha256(file.content()));
                return Optional.of(fact);
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> measuredLatencyMs(Snapshot snapshot, String component, String node) {
        if (!component.equals("etcd")) {
            return Optional.empty();
        }
        return Facts.etcdMember(snapshot, node).map(EtcdFacts.Member::readLatencyMs);
    }

    private static Optional<Boolean> componentHealthy(Snapshot snapshot, String component, String node) {
        if (!component.equals("etcd")) {
            return Optional.empty();
        }
        return Facts.etcdMember(snapshot, node).map(m -> m.healthy());
    }

    private static Optional<String> etcdVersion(Snapshot snapshot, String node, Container container) {
        if (!container.getName().equals("etcd")) {
            return Optional.empty();
        }
        return Facts.etcdMember(snapshot, node)
                .map(EtcdFacts.Member::version)
                .or(() -> Versions.imageTag(container.getImage()));
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
}
