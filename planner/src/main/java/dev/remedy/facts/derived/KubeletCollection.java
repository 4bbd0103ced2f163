package dev.remedy.facts.derived;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.Versions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code kubelets}: per node, what its kubelet reports and how it is configured: the Ready condition's reason
 * and message (a kubelet that "stopped posting node status"), pressure conditions, the eviction thresholds and
 * reservations it runs with (from its KubeletConfiguration file, /configz, or its flags), the OOM killer's
 * lines in the kernel log, and reservations sized from the node's memory and CPU. Without the node's own facts
 * the configuration and kernel log are unknown and left out.
 */
public final class KubeletCollection implements FactCollection {

    private static final int KERNEL_LINES = 4;
    private static final Pattern OOM = Pattern.compile(
            "Out of memory|Killed process|invoked oom-killer|oom-kill|oom_reaper|Memory cgroup out of memory");
    private static final String CONFIG_FLAG = "--config=";
    /** A Classic ELB's DNS name ({@code name-123.us-west-2.elb.amazonaws.com}); an NLB's is {@code *.elb.<region>.*}. */
    private static final Pattern CLASSIC_ELB = Pattern.compile("\\.[a-z]{2}-[a-z]+-\\d\\.elb\\.amazonaws\\.com");

    @Override
    public String name() {
        return "kubelets";
    }

    @Override
    public String description() {
        return "a node's kubelet: Ready condition, pressure, eviction thresholds and reservations, kernel OOM lines";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<Map<String, Object>> result = new ArrayList<>();
        Parsed parsed = new Parsed(Versions.parse((String) context.cluster().get("controlPlaneVersion")));
        for (Node node : snapshot.nodes()) {
            result.add(kubelet(snapshot, node, parsed));
        }
        long stoppedPosting = result.stream()
                .filter(k -> Boolean.TRUE.equals(k.get("stoppedPosting")))
                .count();
        result.forEach(k -> k.put("nodesStoppedPosting", stoppedPosting));
        return result;
    }

    /**
     * The control plane's version, and the kubelet versions and capacities of the nodes as numbers, parsed once per
     * text: the nodes of a cluster run a few kubelet versions on a few machine sizes, and at 5,000 nodes a regular
     * expression or a {@link Quantity} parse per node and value was a fifth of this collection's time.
     */
    private static final class Parsed {

        private final Optional<Versions> controlPlane;
        private final Map<String, Optional<Versions>> versions = new HashMap<>();
        private final Map<String, Optional<Long>> bytes = new HashMap<>();
        private final Map<String, Optional<Long>> millicores = new HashMap<>();

        Parsed(Optional<Versions> controlPlane) {
            this.controlPlane = controlPlane;
        }

        Optional<Versions> version(String text) {
            return versions.computeIfAbsent(text, Versions::parse);
        }

        Optional<Long> bytes(String text) {
            return bytes.computeIfAbsent(text, Quantities::bytes);
        }

        Optional<Long> millicores(String text) {
            return millicores.computeIfAbsent(text, Quantities::millicores);
        }
    }

    private static Map<String, Object> kubelet(Snapshot snapshot, Node node, Parsed parsed) {
        String name = node.getMetadata().getName();
        Map<String, Object> fact = new FactMap(16);
        fact.put("ref", Facts.ref("Node", null, name, name));
        fact.put("name", name);
        Optional<NodeCondition> ready = condition(node, "Ready");
        fact.put("ready", ready.map(c -> "True".equals(c.getStatus())).orElse(false));
        ready.ifPresent(c -> {
            fact.put("readyStatus", c.getStatus());
            putIfPresent(fact, "readyReason", c.getReason());
            putIfPresent(fact, "readyMessage", c.getMessage());
            putIfPresent(fact, "readySince", c.getLastTransitionTime());
        });
        fact.put(
                "stoppedPosting",
                ready.map(c -> !"True".equals(c.getStatus())
                                && String.valueOf(c.getMessage())
                                        .toLowerCase(Locale.ROOT)
                                        .contains("stopped posting node status"))
                        .orElse(false));
        List<String> pressure = new ArrayList<>();
        for (String type : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
            if (Facts.conditionTrue(node, type)) {
                pressure.add(type);
            }
        }
        fact.put("pressure", pressure);
        Optional<String> version = Facts.kubeletVersion(snapshot, name);
        version.ifPresent(v -> fact.put("kubeletVersion", v));
        version.flatMap(parsed::version).ifPresent(v -> heartbeatFix(v, parsed.controlPlane, fact));
        Optional<String> memoryCapacity = resource(node, "memory");
        Optional<String> cpuCapacity = resource(node, "cpu");
        Optional<Long> memory = memoryCapacity.flatMap(parsed::bytes);
        Optional<Long> cpu = cpuCapacity.flatMap(parsed::millicores);
        memoryCapacity.ifPresent(m -> fact.put("memoryCapacity", m));
        memory.ifPresent(m -> fact.put("memoryCapacityMi", Quantities.mebibytes(m)));
        cpuCapacity.ifPresent(c -> fact.put("cpuCapacity", c));
        snapshot.nodeFacts(name).ifPresent(facts -> {
            configuration(facts, fact);
            fact.put("oomLines", oomLines(facts));
            if (memory.isPresent() && cpu.isPresent()) {
                fact.put("suggested", suggested(memory.get(), cpu.get(), fact));
            }
        });
        return fact;
    }

    /**
     * Whether the kubelet lacks the client-side heartbeat timeout (kubernetes#48638): without it, a connection
     * the load balancer in front of kube-apiserver silently dropped hangs the status updates until the kernel
     * gives up. Fixed in 1.8.0 and backported to 1.7.8 (kubernetes#52176).
     */
    private static void heartbeatFix(Versions version, Optional<Versions> controlPlane, Map<String, Object> fact) {
        Versions fixed = version.major() == 1 && version.minor() == 7 ? new Versions(1, 7, 8) : new Versions(1, 8, 0);
        boolean missing = version.compareTo(fixed) < 0;
        fact.put("lacksHeartbeatTimeout", missing);
        if (missing) {
            fact.put("heartbeatFixedIn", fixed.toString());
            // The control plane's own version when it already has the fix in the same minor: the kubelet then
            // ends up exactly like kube-apiserver; otherwise the first fixed release, which kube-apiserver needs
            // first, since a kubelet must not be newer than it.
            Versions target = controlPlane
                    .filter(cp -> cp.minor() == fixed.minor() && cp.compareTo(fixed) >= 0)
                    .orElse(fixed);
            fact.put("upgradeTo", target.toString());
            controlPlane.ifPresent(cp -> fact.put("controlPlaneBelowTarget", cp.compareTo(target) < 0));
        }
    }

    /**
     * The eviction thresholds and reservations the kubelet runs with, and where to change them: the file its
     * {@code --config} flag names (a KubeletConfiguration), else the file that holds its flags (a systemd unit
     * or environment file). Flags win over the file, as in the kubelet.
     */
    private static void configuration(NodeFacts facts, Map<String, Object> fact) {
        NodeFacts.Kubelet kubelet = facts.kubelet();
        Map<String, Object> config = new LinkedHashMap<>();
        Optional<NodeFacts.HostFile> configFile = Optional.empty();
        List<String> flags = kubelet == null ? List.of() : kubelet.flags();
        Optional<String> configPath = flags.stream()
                .filter(f -> f.startsWith(CONFIG_FLAG))
                .map(f -> f.substring(CONFIG_FLAG.length()))
                .findFirst();
        if (configPath.isPresent()) {
            configFile = facts.file(configPath.get());
            configFile
                    .flatMap(f -> Facts.parseYaml(f.content()))
                    .ifPresent(tree -> config.putAll(Facts.YAML.convertValue(tree, Map.class)));
        }
        if (config.isEmpty() && kubelet != null) {
            config.putAll(kubelet.config());
        }
        if (kubelet == null && configFile.isEmpty()) {
            return;
        }
        Map<String, String> flagValues = flagValues(flags);
        apiserverEndpoint(facts, flagValues.get("--kubeconfig")).ifPresent(server -> {
            fact.put("apiserverEndpoint", server);
            fact.put("behindClassicElb", CLASSIC_ELB.matcher(server).find());
        });
        fact.put("evictionHard", setting(config, "evictionHard", flagValues.get("--eviction-hard"), "<"));
        fact.put("kubeReserved", setting(config, "kubeReserved", flagValues.get("--kube-reserved"), "="));
        fact.put("systemReserved", setting(config, "systemReserved", flagValues.get("--system-reserved"), "="));
        Map<String, Object> source = new LinkedHashMap<>();
        if (configFile.isPresent()) {
            source.put("format", configFile.get().path().endsWith(".json") ? "json" : "yaml");
            source.put("path", configFile.get().path());
            source.put("sha256", Facts.sha256(configFile.get().content()));
        } else {
            flagsFile(facts, flagValues.keySet()).ifPresent(file -> {
                source.put("format", "kubelet-flags");
                source.put("path", file.path());
                source.put("sha256", Facts.sha256(file.content()));
            });
        }
        if (!source.isEmpty()) {
            fact.put("configSource", source);
        }
    }

    /** The kube-apiserver address in the kubelet's kubeconfig, if that file was collected. */
    private static Optional<String> apiserverEndpoint(NodeFacts facts, String kubeconfig) {
        if (kubeconfig == null) {
            return Optional.empty();
        }
        return facts.file(kubeconfig)
                .flatMap(f -> Facts.parseYaml(f.content()))
                .map(tree -> tree.path("clusters")
                        .path(0)
                        .path("cluster")
                        .path("server")
                        .asText(""))
                .filter(server -> !server.isEmpty());
    }

    /**
     * The collected file that holds the kubelet's flags ({@code flagNames}, as {@link #flagValues} keys them): a
     * kubelet unit, drop-in or environment file. The names are split from their values once per node, not once
     * per file and flag.
     */
    private static Optional<NodeFacts.HostFile> flagsFile(NodeFacts facts, Collection<String> flagNames) {
        return facts.files().stream()
                .filter(f -> f.path().contains("kubelet"))
                .filter(f -> flagNames.stream().anyMatch(name -> f.content().contains(name)))
                .findFirst();
    }

    private static Map<String, String> flagValues(List<String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String flag : flags) {
            String[] parts = flag.split("=", 2);
            values.put(parts[0], parts.length == 2 ? parts[1] : "true");
        }
        return values;
    }

    /**
     * A map-valued setting ({@code memory.available: 100Mi}) from the flag ({@code memory.available<100Mi}) if
     * given, else from the configuration; empty when neither sets it.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> setting(Map<String, Object> config, String key, String flag, String separator) {
        Map<String, String> result = new TreeMap<>();
        if (flag != null && !flag.isBlank()) {
            for (String pair : flag.split(",")) {
                String[] parts = pair.split(Pattern.quote(separator), 2);
                if (parts.length == 2) {
                    result.put(parts[0].strip(), parts[1].strip());
                }
            }
            return result;
        }
        if (config.get(key) instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> result.put(k, String.valueOf(v)));
        }
        return result;
    }

    private static List<String> oomLines(NodeFacts facts) {
        List<String> lines = new ArrayList<>();
        for (String line : facts.logs("kernel")) {
            if (OOM.matcher(line).find()) {
                lines.add(line.strip());
            }
        }
        return lines.subList(Math.max(0, lines.size() - KERNEL_LINES), lines.size());
    }

    /**
     * Thresholds and reservations sized from the node's capacity: kube-reserved as GKE sizes it (memory 25% of
     * the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above; CPU 6% of the
     * first core, 1% of the second, 0.5% of the next two, 0.25% above), system-reserved 100m CPU and 2% of
     * memory (at least 128Mi, at most 512Mi) for the OS daemons, and a hard eviction threshold of 5% of memory
     * (at least 100Mi, at most 1Gi) so the kubelet evicts pods before the kernel's OOM killer picks a process, with the
     * kubelet's default disk thresholds kept (setting evictionHard replaces all of them). Also the edits that
     * write them into the kubelet's configuration.
     */
    static Map<String, Object> suggested(long memoryBytes, long cpuMillis, Map<String, Object> fact) {
        Map<String, String> evictionHard = new TreeMap<>();
        evictionHard.put(
                "memory.available",
                Quantities.mebibytes(Math.max(100 * Quantities.MI, Math.min(1024 * Quantities.MI, memoryBytes / 20))));
        evictionHard.put("nodefs.available", "10%");
        evictionHard.put("nodefs.inodesFree", "5%");
        evictionHard.put("imagefs.available", "15%");
        Map<String, String> kubeReserved = new TreeMap<>();
        kubeReserved.put("cpu", kubeReservedCpu(cpuMillis) + "m");
        kubeReserved.put("memory", Quantities.mebibytes(kubeReservedMemory(memoryBytes)));
        Map<String, String> systemReserved = new TreeMap<>();
        systemReserved.put("cpu", "100m");
        systemReserved.put(
                "memory",
                Quantities.mebibytes(Math.min(512 * Quantities.MI, Math.max(128 * Quantities.MI, memoryBytes / 50))));
        Map<String, Object> suggested = new LinkedHashMap<>();
        suggested.put("evictionHard", evictionHard);
        suggested.put("kubeReserved", kubeReserved);
        suggested.put("systemReserved", systemReserved);
        if (fact.get("configSource") instanceof Map<?, ?> source) {
            suggested.put("edits", edits(String.valueOf(source.get("format")), fact, suggested));
        }
        return suggested;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> edits(
            String format, Map<String, Object> fact, Map<String, Object> values) {
        List<Map<String, Object>> edits = new ArrayList<>();
        for (String key : List.of("evictionHard", "kubeReserved", "systemReserved")) {
            Map<String, String> to = (Map<String, String>) values.get(key);
            Map<String, String> from = (Map<String, String>) fact.getOrDefault(key, Map.of());
            Map<String, Object> edit = new LinkedHashMap<>();
            if (!format.equals("kubelet-flags")) {
                edit.put("op", "set");
                edit.put("path", key);
                if (!from.isEmpty()) {
                    edit.put("from", from);
                }
                edit.put("to", to);
            } else {
                String flag =
                        switch (key) {
                            case "evictionHard" -> "--eviction-hard";
                            case "kubeReserved" -> "--kube-reserved";
                            default -> "--system-reserved";
                        };
                String separator = key.equals("evictionHard") ? "<" : "=";
                List<String> pairs = new ArrayList<>();
                to.forEach((k, v) -> pairs.add(k + separator + v));
                edit.put("op", from.isEmpty() ? "add" : "set");
                edit.put("flag", flag);
                edit.put("to", flag + "=" + String.join(",", pairs));
            }
            edits.add(edit);
        }
        return edits;
    }

    static long kubeReservedMemory(long bytes) {
        long gi = 1024 * Quantities.MI;
        if (bytes < gi) {
            return 255 * Quantities.MI;
        }
        double reserved = 0;
        long[] bounds = {4 * gi, 8 * gi, 16 * gi, 128 * gi, Long.MAX_VALUE};
        double[] rates = {0.25, 0.20, 0.10, 0.06, 0.02};
        long lower = 0;
        for (int i = 0; i < bounds.length && bytes > lower; i++) {
            reserved += (Math.min(bytes, bounds[i]) - lower) * rates[i];
            lower = bounds[i];
        }
        return (long) Math.ceil(reserved);
    }

    static long kubeReservedCpu(long millis) {
        double reserved = 0;
        long[] bounds = {1000, 2000, 4000, Long.MAX_VALUE};
        double[] rates = {0.06, 0.01, 0.005, 0.0025};
        long lower = 0;
        for (int i = 0; i < bounds.length && millis > lower; i++) {
            reserved += (Math.min(millis, bounds[i]) - lower) * rates[i];
            lower = bounds[i];
        }
        return (long) Math.ceil(reserved);
    }

    private static Optional<String> resource(Node node, String name) {
        if (node.getStatus() == null) {
            return Optional.empty();
        }
        Map<String, Quantity> capacity = node.getStatus().getCapacity();
        if (capacity == null || capacity.get(name) == null) {
            capacity = node.getStatus().getAllocatable();
        }
        return Optional.ofNullable(capacity).map(c -> c.get(name)).map(Quantity::toString);
    }

    private static Optional<NodeCondition> condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private static void putIfPresent(Map<String, Object> fact, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) {
            fact.put(key, value);
        }
    }
}
