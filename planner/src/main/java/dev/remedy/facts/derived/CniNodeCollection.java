package dev.remedy.facts.derived;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cniNodes}: every Node with the files of its /etc/cni/net.d in the order the runtime tries them, the one
 * it really uses, the files of another plugin than the cluster's (stray), and its pods whose IPs are outside the
 * cluster's pod CIDR. A node whose host facts were not collected has no {@code files}: unknown, not clean.
 */
public final class CniNodeCollection implements FactCollection {

    /** Where stray configs go: outside the directory libcni reads, so they stop being loaded. */
    static final String MOVE_TO = "/etc/cni/net.d.disabled/";

    @Override
    public String name() {
        return "cniNodes";
    }

    @Override
    public String description() {
        return "a Node with its /etc/cni/net.d files in load order, the one the runtime uses, files of another"
                + " plugin than the cluster's, and pods with IPs outside the pod CIDR";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        Map<String, Object> cluster = context.cniCluster();
        String inUse = (String) cluster.get("inUse");
        Optional<Cidr> cidr = Cidr.parse((String) cluster.get("clusterCidr"));
        Map<String, List<Pod>> podsByNode = new HashMap<>();
        for (Pod pod : context.podsWithIp()) {
            podsByNode
                    .computeIfAbsent(pod.getSpec().getNodeName(), n -> new ArrayList<>())
                    .add(pod);
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Node node : snapshot.nodes()) {
            String name = node.getMetadata().getName();
            Map<String, Object> fact = new FactMap(16);
            fact.put("ref", Facts.ref("Node", null, name, name));
            fact.put("node", name);
            fact.put("clusterCni", cluster);
            runtimeService(node).ifPresent(service -> fact.put("runtimeService", service));
            if (node.getSpec() != null && node.getSpec().getPodCIDR() != null) {
                fact.put("podCidr", node.getSpec().getPodCIDR());
            }
            cidr.ifPresent(c -> {
                List<String> outside = podsByNode.getOrDefault(name, List.of()).stream()
                        .filter(p -> !c.contains(p.getStatus().getPodIP()).orElse(true))
                        .map(p -> p.getMetadata().getNamespace() + "/"
                                + p.getMetadata().getName() + " "
                                + p.getStatus().getPodIP())
                        .toList();
                fact.put("podsOutsideCidr", outside);
            });
            Optional<NodeFacts> facts = snapshot.nodeFacts(name);
            fact.put("factsCollected", facts.isPresent());
            Optional<List<CniAnalysis.ConfigFile>> configs =
                    facts.flatMap(f -> CniAnalysis.configs(f, context::cniConfig));
            if (configs.isEmpty()) {
                result.add(fact);
                continue;
            }
            fact.put("files", configs.get().stream().map(c -> c.fact(context)).toList());
            Optional<CniAnalysis.ConfigFile> used = configs.get().stream()
                    .filter(CniAnalysis.ConfigFile::loadable)
                    .findFirst();
            used.ifPresent(u -> fact.put("runtimeUses", u.fact(context)));
            if (inUse != null) {
                List<Map<String, Object>> stray = new ArrayList<>();
                List<Map<String, Object>> primary = new ArrayList<>();
                for (CniAnalysis.ConfigFile config : configs.get()) {
                    if (!config.loadable() || "loopback".equals(config.plugin())) {
                        continue;
                    }
                    if (inUse.equals(config.plugin())) {
                        primary.add(Facts.ordered(
                                "path",
                                config.file().path(),
                                "sha256",
                                context.sha256(config.file().content())));
                        continue;
                    }
                    Map<String, Object> file = config.fact(context);
                    file.put("usedByRuntime", used.map(u -> u == config).orElse(false));
                    file.put("moveTo", MOVE_TO + config.file().name());
                    stray.add(file);
                }
                fact.put("stray", stray);
                fact.put("primary", primary);
            }
            result.add(fact);
        }
        return result;
    }

    /** The container runtime's systemd unit, from the node's reported runtime version; unknown when not reported. */
    private static Optional<String> runtimeService(Node node) {
        String runtime = node.getStatus() == null || node.getStatus().getNodeInfo() == null
                ? null
                : node.getStatus().getNodeInfo().getContainerRuntimeVersion();
        if (runtime == null || runtime.isEmpty()) {
            return Optional.empty();
        }
        String scheme = runtime.contains("://") ? runtime.substring(0, runtime.indexOf("://")) : runtime;
        return Optional.of(scheme.equals("cri-o") ? "crio" : scheme);
    }
}
