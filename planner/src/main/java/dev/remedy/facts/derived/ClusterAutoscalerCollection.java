package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code clusterAutoscalers}: every cluster-autoscaler Deployment with the flags that decide how fast and how
 * far it scales down: how long a node must look unneeded, how many empty nodes go at once, the pause after a
 * deletion, the utilisation below which a node counts as unneeded, each node group's minimum size. Also the
 * patch that sets conservative values: nodes unneeded for 40 minutes (what Nordstrom chose), one empty node
 * and one deletion every 10 minutes at most.
 */
public final class ClusterAutoscalerCollection implements FactCollection {

    /** Flags the conservative patch sets, in the order they are written. */
    static final Map<String, String> CONSERVATIVE = conservative();

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms)");
    private static final long DEFAULT_UNNEEDED_SECONDS = 600;

    @Override
    public String name() {
        return "clusterAutoscalers";
    }

    @Override
    public String description() {
        return "a cluster-autoscaler Deployment with its scale-down flags, node-group minimums and a conservative"
                + " patch";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<Deployment> deployments = new ArrayList<>(snapshot.deployments());
        deployments.sort(Comparator.comparing(
                        (Deployment d) -> Objects.toString(d.getMetadata().getNamespace(), ""))
                .thenComparing(d -> d.getMetadata().getName()));
        List<Map<String, Object>> result = new ArrayList<>();
        for (Deployment deployment : deployments) {
            if (deployment.getSpec() == null
                    || deployment.getSpec().getTemplate() == null
                    || deployment.getSpec().getTemplate().getSpec() == null) {
                continue;
            }
            deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(ClusterAutoscalerCollection::isAutoscaler)
                    .findFirst()
                    .ifPresent(c -> result.add(
                            autoscaler(deployment, c, snapshot.nodes().size())));
        }
        return result;
    }

    private static boolean isAutoscaler(Container container) {
        return Objects.toString(container.getImage(), "").contains("cluster-autoscaler")
                || Optional.ofNullable(container.getCommand()).orElse(List.of()).stream()
                        .anyMatch(c -> c.endsWith("cluster-autoscaler"));
    }

    private static Map<String, Object> autoscaler(Deployment deployment, Container container, int nodes) {
        Map<String, Object> fact = new LinkedHashMap<>();
        String namespace = deployment.getMetadata().getNamespace();
        fact.put(
                "ref",
                Facts.ref("Deployment", namespace, deployment.getMetadata().getName(), null));
        fact.put("name", deployment.getMetadata().getName());
        fact.put("namespace", namespace);
        if (deployment.getMetadata().getResourceVersion() != null) {
            fact.put("resourceVersion", deployment.getMetadata().getResourceVersion());
        }
        fact.put("container", container.getName());
        fact.put("image", container.getImage());
        CommandFlags flags = CommandFlags.of(container);
        fact.put("flags", flags.values());
        fact.put("scaleDownEnabled", !"false".equals(flags.values().get("--scale-down-enabled")));
        String unneeded = flags.values().getOrDefault("--scale-down-unneeded-time", "10m");
        fact.put("scaleDownUnneededTime", unneeded);
        seconds(unneeded).ifPresent(s -> fact.put("scaleDownUnneededSeconds", s));
        fact.put("maxEmptyBulkDelete", flags.values().getOrDefault("--max-empty-bulk-delete", "10"));
        fact.put("scaleDownDelayAfterDelete", flags.values().getOrDefault("--scale-down-delay-after-delete", "10s"));
        fact.put("utilizationThreshold", flags.values().getOrDefault("--scale-down-utilization-threshold", "0.5"));
        List<Map<String, Object>> groups = new ArrayList<>();
        List<String> groupArguments = new ArrayList<>();
        Optional.ofNullable(container.getCommand()).ifPresent(groupArguments::addAll);
        Optional.ofNullable(container.getArgs()).ifPresent(groupArguments::addAll);
        for (String argument : groupArguments) {
            String value = argument.strip();
            if (!value.startsWith("--nodes=")) {
                continue;
            }
            String[] parts = value.substring("--nodes=".length()).split(":", 3);
            if (parts.length == 3) {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("name", parts[2]);
                group.put("min", parseInt(parts[0]));
                group.put("max", parseInt(parts[1]));
                groups.add(group);
            }
        }
        fact.put("nodeGroups", groups);
        fact.put("autoDiscovery", flags.values().containsKey("--node-group-auto-discovery"));
        fact.put(
                "zeroMinGroups",
                groups.stream()
                        .filter(g -> ((Integer) g.get("min")) == 0)
                        .map(g -> g.get("name"))
                        .toList());
        fact.put(
                "minNodes",
                groups.stream().mapToInt(g -> (Integer) g.get("min")).sum());
        fact.put("nodes", nodes);
        String field = flags.appendPath().contains(".args[") ? "args" : "command";
        Map<String, Object> patched = new LinkedHashMap<>();
        patched.put("name", container.getName());
        patched.put(field, CommandFlags.withFlags(container, CONSERVATIVE, field));
        fact.put(
                "conservativePatch",
                Map.of("spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(patched))))));
        return fact;
    }

    /** A Go duration such as {@code 40m}, {@code 1h30m} or {@code 90s}, in whole seconds. */
    static Optional<Long> seconds(String duration) {
        Matcher matcher = DURATION.matcher(duration.strip());
        double seconds = 0;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                return Optional.empty();
            }
            double amount = Double.parseDouble(matcher.group(1));
            seconds += switch (matcher.group(2)) {
                case "h" -> amount * 3600;
                case "m" -> amount * 60;
                case "s" -> amount;
                default -> amount / 1000;
            };
            end = matcher.end();
        }
        if (end == 0 || end != duration.strip().length()) {
            return Optional.empty();
        }
        return Optional.of((long) seconds);
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> conservative() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--scale-down-unneeded-time", Duration.ofMinutes(40).toMinutes() + "m");
        flags.put("--max-empty-bulk-delete", "1");
        flags.put("--scale-down-delay-after-delete", "10m");
        return flags;
    }
}
