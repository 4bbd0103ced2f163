package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import dev.remedy.facts.Versions;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code nodes}: every Node with its kubelet version against the control plane's, readiness and role. */
public final class NodeCollection implements FactCollection {

    @Override
    public String name() {
        return "nodes";
    }

    @Override
    public String description() {
        return "a Node with its kubelet version (and how far behind the control plane), readiness and role";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        Optional<Versions> controlPlane =
                Versions.parse((String) context.cluster().get("controlPlaneVersion"));
        List<Map<String, Object>> result = new ArrayList<>();
        for (Node node : snapshot.nodes()) {
            String name = node.getMetadata().getName();
            Map<String, Object> fact = new FactMap(16);
            fact.put("ref", Facts.ref("Node", null, name, name));
            fact.put("name", name);
            String version = Facts.kubeletVersion(snapshot, name).orElse(null);
            fact.put("kubeletVersion", version);
            Versions.parse(version).ifPresent(v -> {
                fact.put("kubeletMinor", v.minor());
                controlPlane.ifPresent(cp -> {
                    fact.put("minorsBehindControlPlane", cp.minor() - v.minor());
                    fact.put("newerThanControlPlane", v.compareTo(cp) > 0);
                });
            });
            fact.put("ready", Facts.conditionTrue(node, "Ready"));
            fact.put("controlPlane", Facts.isControlPlane(node));
            fact.put(
                    "unschedulable",
                    node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
            fact.put("ageDays", Facts.ageDays(node.getMetadata().getCreationTimestamp(), context.now()));
            fact.put("hasNodeFacts", snapshot.nodeFacts(name).isPresent());
            result.add(fact);
        }
        return result;
    }
}
