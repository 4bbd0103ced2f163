package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cniDaemonSets}: every DaemonSet that deploys a CNI plugin, with the other CNI DaemonSets beside it, the
 * cluster's CNI decision, and the patch that pauses it. A DaemonSet cannot be scaled; it is paused by a
 * nodeSelector no node carries, which keeps the object (and its rollback) instead of deleting it.
 */
public final class CniDaemonSetCollection implements FactCollection {

    static final String PAUSE_LABEL = "remedy.dev/paused";

    @Override
    public String name() {
        return "cniDaemonSets";
    }

    @Override
    public String description() {
        return "a DaemonSet that deploys a CNI plugin, with the other CNI DaemonSets beside it and whether the"
                + " cluster uses its plugin";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        Map<String, Object> cluster = context.cniCluster();
        List<DaemonSet> daemonSets = snapshot.daemonSets().stream()
                .filter(d -> CniAnalysis.daemonSetPlugin(d).isPresent())
                .sorted(Comparator.comparing((DaemonSet d) -> d.getMetadata().getNamespace())
                        .thenComparing(d -> d.getMetadata().getName()))
                .toList();
        List<Map<String, Object>> result = new ArrayList<>();
        for (DaemonSet daemonSet : daemonSets) {
            String plugin = CniAnalysis.daemonSetPlugin(daemonSet).orElseThrow();
            String namespace = daemonSet.getMetadata().getNamespace();
            String name = daemonSet.getMetadata().getName();
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("ref", Facts.ref("DaemonSet", namespace, name, null));
            fact.put("name", name);
            fact.put("namespace", namespace);
            fact.put("plugin", plugin);
            fact.put("images", CniAnalysis.images(daemonSet));
            Optional.ofNullable(daemonSet.getMetadata().getResourceVersion())
                    .ifPresent(v -> fact.put("resourceVersion", v));
            if (daemonSet.getStatus() != null) {
                fact.put("desired", daemonSet.getStatus().getDesiredNumberScheduled());
                fact.put("ready", daemonSet.getStatus().getNumberReady());
            }
            fact.put("createdAt", daemonSet.getMetadata().getCreationTimestamp());
            fact.put("clusterCni", cluster);
            if (cluster.containsKey("inUse")) {
                fact.put("inUse", plugin.equals(cluster.get("inUse")));
            }
            fact.put(
                    "others",
                    daemonSets.stream()
                            .filter(d -> d != daemonSet)
                            .filter(d -> !CniAnalysis.daemonSetPlugin(d)
                                    .orElseThrow()
                                    .equals(plugin))
                            .map(d -> d.getMetadata().getNamespace() + "/"
                                    + d.getMetadata().getName())
                            .toList());
            Map<String, String> selector = new LinkedHashMap<>();
            var podSpec = daemonSet.getSpec().getTemplate().getSpec();
            if (podSpec.getNodeSelector() != null) {
                selector.putAll(podSpec.getNodeSelector());
            }
            selector.put(PAUSE_LABEL, "true");
            fact.put(
                    "pausePatch", Map.of("spec", Map.of("template", Map.of("spec", Map.of("nodeSelector", selector)))));
            result.add(fact);
        }
        return result;
    }
}
