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
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code staticPods}: every mirror pod (annotation {@code kubernetes.io/config.mirror}) with the manifest file
 * on its node that runs it, its liveness probe and kill window, and, for etcd, the measured read latency and
 * health of the member on that node.
 */
public final class StaticPodCollection implements FactCollection {

    static final String MANIFESTS = "/etc/kubernetes/manifests";
    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final int LOG_LINES = 4;
    private static final int LOG_LINE_LENGTH = 240;
    private static final Pattern COMMAND_TIMEOUT = Pattern.compile("--command-timeout[= ](\\d+)s");

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
        // The annotations beside the keys: a pod that is no mirror pod is not read at all, as nearly none is.
        for (PodCollection.Keyed keyed : context.sortedKeyed()) {
            Map<String, String> annotations = keyed.annotations();
            if (annotations == null
                    || !annotations.containsKey(MIRROR_ANNOTATION)
                    || keyed.pod().getSpec() == null) {
                continue;
            }
            result.add(staticPod(snapshot, keyed.pod(), now));
        }
        for (Map<String, Object> pod : result) {
            pod.put("restartingInStep", restartingInStep(result, pod));
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
        Optional<ManifestFile> manifest = manifest(snapshot, node, pod);
        manifest.ifPresent(m -> fact.put("manifest", m.fact()));
        Optional<Container> declared = manifest.flatMap(m -> m.container(container.getName()));
        String kubeletVersion = Facts.kubeletVersion(snapshot, node).orElse(null);
        fact.put("probe", probe(container, declared, kubeletVersion));
        measuredLatencyMs(snapshot, component, node).ifPresent(ms -> fact.put("measuredLatencyMs", ms));
        componentHealthy(snapshot, component, node).ifPresent(h -> fact.put("componentHealthy", h));
        etcdVersion(snapshot, node, container).ifPresent(v -> fact.put("etcdVersion", v));
        fact.put("kubeletLog", kubeletLines(snapshot, node, name, container.getName()));
        fact.put("suggestedProbe", suggestedProbe(declared.orElse(container).getLivenessProbe(), fact));
        return fact;
    }

    /**
     * The liveness probe as the manifest on the node declares it (the mirror pod's copy carries API defaults
     * the file does not have), with what the kubelet really does with it. Before Kubernetes 1.20 the kubelet
     * ignored {@code timeoutSeconds} of exec probes, so an exec probe is cut only by the command's own timeout
     * ({@code etcdctl --command-timeout}, 5 s by default). The prober does not overlap probes, so
     * consecutive failures come every max(period, effective timeout) seconds.
     */
    private static Map<String, Object> probe(Container running, Optional<Container> declared, String kubeletVersion) {
        Container container = declared.orElse(running);
        Probe probe = container.getLivenessProbe();
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("yamlPath", "spec.containers[name=" + container.getName() + "].livenessProbe");
        fact.put("source", declared.isPresent() ? "manifest" : "pod");
        if (probe == null) {
            fact.put("type", "none");
            return fact;
        }
        String type = probe.getExec() != null
                ? "exec"
                : probe.getHttpGet() != null ? "httpGet" : probe.getTcpSocket() != null ? "tcpSocket" : "grpc";
        fact.put("type", type);
        int timeout = Facts.orDefault(probe.getTimeoutSeconds(), 1);
        int period = Facts.orDefault(probe.getPeriodSeconds(), 10);
        int failures = Facts.orDefault(probe.getFailureThreshold(), 3);
        int delay = Facts.orDefault(probe.getInitialDelaySeconds(), 0);
        fact.put("timeoutSeconds", timeout);
        fact.put("periodSeconds", period);
        fact.put("failureThreshold", failures);
        fact.put("initialDelaySeconds", delay);
        boolean enforced = !type.equals("exec")
                || Versions.parse(kubeletVersion)
                        .map(v -> v.compareTo(new Versions(1, 20, 0)) >= 0)
                        .orElse(true);
        fact.put("timeoutEnforced", enforced);
        if (kubeletVersion != null) {
            fact.put("kubeletVersion", kubeletVersion);
        }
        int effective = timeout;
        if (probe.getExec() != null) {
            List<String> command = probe.getExec().getCommand();
            fact.put("command", String.join(" ", command).replaceAll("\\s+", " "));
            OptionalInt commandTimeout = etcdctlCommandTimeout(command);
            commandTimeout.ifPresent(t -> fact.put("commandTimeoutSeconds", t));
            if (!enforced) {
                effective = commandTimeout.orElse(timeout);
            } else if (commandTimeout.isPresent()) {
                effective = Math.min(timeout, commandTimeout.getAsInt());
            }
        }
        if (probe.getHttpGet() != null) {
            fact.put("httpPath", probe.getHttpGet().getPath());
        }
        fact.put("effectiveTimeoutSeconds", effective);
        fact.put("killWindowSeconds", failures * Math.max(period, effective));
        fact.put("firstKillAfterSeconds", delay + failures * Math.max(period, effective));
        fact.put("spec", Facts.YAML.convertValue(probe, Map.class));
        return fact;
    }

    /** etcdctl's own deadline for one request: {@code --command-timeout}, 5 s when not given. */
    private static OptionalInt etcdctlCommandTimeout(List<String> command) {
        String joined = String.join(" ", command);
        if (!joined.contains("etcdctl")) {
            return OptionalInt.empty();
        }
        Matcher matcher = COMMAND_TIMEOUT.matcher(joined);
        return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.of(5);
    }

    /**
     * Probe values that tolerate the measured latency with a margin, and the exact edits to the manifest
     * that make them: the timeout at twice the slowest measured read, rounded up to whole seconds (and, for
     * an etcdctl exec probe, etcdctl's own --command-timeout to match, since kubelets before 1.20 do not
     * enforce timeoutSeconds on exec probes), the period no shorter than the timeout so probes do not
     * queue, the failure threshold as it was.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> suggestedProbe(Probe probe, Map<String, Object> fact) {
        Map<String, Object> suggested = new LinkedHashMap<>();
        if (probe == null || !(fact.get("measuredLatencyMs") instanceof Double latencyMs)) {
            return suggested;
        }
        Map<String, Object> current = (Map<String, Object>) fact.get("probe");
        String path = (String) current.get("yamlPath");
        int timeout = Math.max(Facts.orDefault(probe.getTimeoutSeconds(), 1), (int) Math.ceil(2 * latencyMs / 1000.0));
        int period = Math.max(Facts.orDefault(probe.getPeriodSeconds(), 10), timeout);
        int failures = Facts.orDefault(probe.getFailureThreshold(), 3);
        suggested.put("timeoutSeconds", timeout);
        suggested.put("periodSeconds", period);
        suggested.put("failureThreshold", failures);
        suggested.put("killWindowSeconds", failures * Math.max(period, timeout));
        List<Map<String, Object>> edits = new ArrayList<>();
        if (probe.getExec() != null) {
            List<String> command = probe.getExec().getCommand();
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i).contains("etcdctl")) {
                    String relaxed = withCommandTimeout(command.get(i), timeout);
                    suggested.put("command", relaxed);
                    edits.add(edit(path + ".exec.command[" + i + "]", command.get(i), relaxed));
                }
            }
        }
        edits.add(edit(path + ".timeoutSeconds", probe.getTimeoutSeconds(), timeout));
        edits.add(edit(path + ".periodSeconds", probe.getPeriodSeconds(), period));
        suggested.put("edits", edits);
        return suggested;
    }

    private static String withCommandTimeout(String command, int seconds) {
        Matcher matcher = COMMAND_TIMEOUT.matcher(command);
        if (matcher.find()) {
            return matcher.replaceFirst("--command-timeout=" + seconds + "s");
        }
        return command.replaceFirst("etcdctl", "etcdctl --command-timeout=" + seconds + "s");
    }

    private static Map<String, Object> edit(String path, Object from, Object to) {
        Map<String, Object> edit = new LinkedHashMap<>();
        edit.put("op", "set");
        edit.put("path", path);
        if (from != null) {
            edit.put("from", from);
        }
        edit.put("to", to);
        return edit;
    }

    private static Optional<ManifestFile> manifest(Snapshot snapshot, String node, Pod pod) {
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
                return Optional.of(new ManifestFile(file, manifest.get()));
            }
        }
        return Optional.empty();
    }

    /** The manifest file on the node that runs a static pod, as collected. */
    private record ManifestFile(NodeFacts.HostFile file, JsonNode content) {

        Map<String, Object> fact() {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("path", file.path());
            fact.put("sha256", Facts.sha256(file.content()));
            return fact;
        }

        Optional<Container> container(String name) {
            try {
                Pod declared = Facts.YAML.treeToValue(content, Pod.class);
                if (declared.getSpec() == null) {
                    return Optional.empty();
                }
                return declared.getSpec().getContainers().stream()
                        .filter(c -> name.equals(c.getName()))
                        .findFirst();
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
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

    /**
     * The kubelet's log lines about this pod, newest last: at most {@value #LOG_LINES}, each cut to
     * {@value #LOG_LINE_LENGTH} characters, so evidence quotes the log without pasting whole pod specs.
     */
    private static List<String> kubeletLines(Snapshot snapshot, String node, String podName, String container) {
        List<String> lines = new ArrayList<>();
        snapshot.nodeFacts(node).ifPresent(facts -> {
            for (String line : facts.logs("kubelet")) {
                if (line.contains(podName) || line.contains("Name:" + container + " ")) {
                    lines.add(line.length() > LOG_LINE_LENGTH ? line.substring(0, LOG_LINE_LENGTH) + " ..." : line);
                }
            }
        });
        return lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
    }

    /** Other static pods on the same node that restarted about as often: likely victims of this one. */
    private static List<String> restartingInStep(List<Map<String, Object>> pods, Map<String, Object> pod) {
        long restarts = ((Number) pod.get("restartCount")).longValue();
        return pods.stream()
                .filter(other -> other != pod && Objects.equals(other.get("node"), pod.get("node")))
                .filter(other -> restarts > 0
                        && Math.abs(((Number) other.get("restartCount")).longValue() - restarts) <= restarts / 10)
                .map(other -> other.get("name") + " (" + other.get("restartCount") + ")")
                .toList();
    }
}
