package dev.remedy.facts.derived;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which CNI plugin a cluster uses, decided from independent signals that must agree: the plugin whose address
 * pool is the cluster's pod CIDR (kube-controller-manager {@code --cluster-cidr}, else kubeadm's
 * {@code podSubnet}), the plugin whose config is on the most nodes, and the plugin whose pool holds the most pod
 * IPs. When the signals disagree the answer is unknown, and nothing is changed on a guess. Also what the
 * container runtime on each node really uses: the first valid file of /etc/cni/net.d in name order, as libcni
 * loads it ({@code .conf}, {@code .conflist}, {@code .json}).
 */
public final class CniAnalysis {

    static final String NET_D = "/etc/cni/net.d";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FAMILY_BY_TYPE = Map.of(
            "calico", "calico",
            "flannel", "flannel",
            "weave-net", "weave",
            "cilium-cni", "cilium",
            "aws-cni", "aws-node",
            "antrea", "antrea",
            "kube-router", "kube-router");
    /** Weave Net allocates from 10.32.0.0/12 unless IPALLOC_RANGE says otherwise. */
    private static final String WEAVE_DEFAULT_RANGE = "10.32.0.0/12";

    private CniAnalysis() {}

    /** One file of /etc/cni/net.d as libcni sees it. */
    public record ConfigFile(NodeFacts.HostFile file, boolean loadable, String type, String plugin, String problem) {

        Map<String, Object> fact(FactContext context) {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("name", file.name());
            fact.put("path", file.path());
            fact.put("sha256", context.sha256(file.content()));
            fact.put("loadable", loadable);
            if (type != null) {
                fact.put("type", type);
            }
            if (plugin != null) {
                fact.put("plugin", plugin);
            }
            if (problem != null) {
                fact.put("problem", problem);
            }
            return fact;
        }
    }

    /** What libcni makes of a config file's content, the same for every copy of the file. */
    record Parsed(boolean loadable, String type, String problem) {}

    /** The CNI config files on a node in the order libcni tries them; empty when the directory was not read. */
    public static Optional<List<ConfigFile>> configs(NodeFacts facts) {
        return configs(facts, CniAnalysis::parse);
    }

    /** {@link #configs(NodeFacts)} with each file's content parsed by {@code parser} ({@link #parse} or a memo of it). */
    static Optional<List<ConfigFile>> configs(NodeFacts facts, Function<String, Parsed> parser) {
        if (!facts.readDirectory(NET_D)) {
            return Optional.empty();
        }
        List<ConfigFile> configs = new ArrayList<>();
        for (NodeFacts.HostFile file : facts.filesIn(NET_D)) {
            String name = file.name();
            if (!(name.endsWith(".conf") || name.endsWith(".conflist") || name.endsWith(".json"))) {
                continue;
            }
            Parsed parsed = parser.apply(file.content());
            configs.add(new ConfigFile(
                    file,
                    parsed.loadable(),
                    parsed.type(),
                    parsed.loadable() ? family(file.name(), parsed.type()) : null,
                    parsed.problem()));
        }
        return Optional.of(configs);
    }

    static Parsed parse(String content) {
        JsonNode tree;
        try {
            tree = JSON.readTree(content);
        } catch (IOException e) {
            return new Parsed(false, null, "not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            return new Parsed(false, null, "not a JSON object");
        }
        String type;
        if (tree.has("plugins")) {
            JsonNode plugins = tree.get("plugins");
            if (!plugins.isArray() || plugins.isEmpty()) {
                return new Parsed(false, null, "a conflist without plugins");
            }
            type = plugins.get(0).path("type").asText(null);
        } else {
            type = tree.path("type").asText(null);
        }
        if (type == null || type.isEmpty()) {
            return new Parsed(false, null, "no plugin type");
        }
        return new Parsed(true, type, null);
    }

    /** The plugin a config belongs to: canal and kube-router are told by file name, the rest by type. */
    static String family(String fileName, String type) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.contains("canal")) {
            return "canal";
        }
        if (name.contains("kuberouter") || name.contains("kube-router")) {
            return "kube-router";
        }
        return FAMILY_BY_TYPE.getOrDefault(type, type);
    }

    /** The CNI plugin a DaemonSet deploys, if it is one: by name, then by image. */
    public static Optional<String> daemonSetPlugin(DaemonSet daemonSet) {
        String name = daemonSet.getMetadata().getName().toLowerCase(Locale.ROOT);
        List<String> images =
                images(daemonSet).stream().map(i -> i.toLowerCase(Locale.ROOT)).toList();
        if (name.contains("canal")) {
            return Optional.of("canal");
        }
        for (String[] known : new String[][] {
            {"calico-node", "calico/node", "calico"},
            {"flannel", "flannel", "flannel"},
            {"weave-net", "weave-kube", "weave"},
            {"cilium", "cilium/cilium", "cilium"},
            {"kube-router", "kube-router", "kube-router"},
            {"aws-node", "amazon-k8s-cni", "aws-node"},
            {"antrea-agent", "antrea", "antrea"}
        }) {
            if (name.contains(known[0]) || images.stream().anyMatch(i -> i.contains(known[1]))) {
                return Optional.of(known[2]);
            }
        }
        return Optional.empty();
    }

    static List<String> images(DaemonSet daemonSet) {
        List<String> images = new ArrayList<>();
        if (daemonSet.getSpec() == null || daemonSet.getSpec().getTemplate().getSpec() == null) {
            return images;
        }
        var spec = daemonSet.getSpec().getTemplate().getSpec();
        if (spec.getInitContainers() != null) {
            spec.getInitContainers().forEach(c -> images.add(c.getImage()));
        }
        spec.getContainers().forEach(c -> images.add(c.getImage()));
        return images;
    }

    /** The address pool a plugin's DaemonSet or ConfigMap declares, where it says. */
    static Optional<String> pool(Snapshot snapshot, String plugin, List<DaemonSet> daemonSets) {
        switch (plugin) {
            case "flannel", "canal" -> {
                for (ConfigMap map : snapshot.configMaps()) {
                    String netConf =
                            map.getData() == null ? null : map.getData().get("net-conf.json");
                    if (netConf != null) {
                        try {
                            String network =
                                    JSON.readTree(netConf).path("Network").asText(null);
                            if (network != null) {
                                return Optional.of(network);
                            }
                        } catch (IOException e) {
                            // An unreadable net-conf.json declares nothing.
                        }
                    }
                }
                return Optional.empty();
            }
            case "calico" -> {
                return env(daemonSets, "CALICO_IPV4POOL_CIDR");
            }
            case "weave" -> {
                return env(daemonSets, "IPALLOC_RANGE")
                        .or(() -> daemonSets.isEmpty() ? Optional.empty() : Optional.of(WEAVE_DEFAULT_RANGE));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> env(List<DaemonSet> daemonSets, String name) {
        for (DaemonSet daemonSet : daemonSets) {
            for (Container container :
                    daemonSet.getSpec().getTemplate().getSpec().getContainers()) {
                if (container.getEnv() == null) {
                    continue;
                }
                for (EnvVar env : container.getEnv()) {
                    if (name.equals(env.getName()) && env.getValue() != null) {
                        return Optional.of(env.getValue());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The cluster's pod CIDR and where it was read. */
    static Optional<String[]> clusterCidr(FactContext context) {
        Snapshot snapshot = context.snapshot();
        for (Pod pod : context.systemPods()) {
            if (pod.getSpec() == null) {
                continue;
            }
            for (Container container : pod.getSpec().getContainers()) {
                if (!container.getName().equals("kube-controller-manager")) {
                    continue;
                }
                Optional<String> cidr =
                        Flags.parse(Manifests.commandLine(container)).value("cluster-cidr");
                if (cidr.isPresent()) {
                    return Optional.of(new String[] {
                        cidr.get(), "--cluster-cidr of " + pod.getMetadata().getName()
                    });
                }
            }
        }
        for (ConfigMap map : snapshot.configMaps()) {
            if (!"kubeadm-config".equals(map.getMetadata().getName()) || map.getData() == null) {
                continue;
            }
            String config = map.getData().get("ClusterConfiguration");
            if (config == null) {
                config = map.getData().get("MasterConfiguration");
            }
            Optional<String> subnet = Facts.parseYaml(config == null ? "" : config)
                    .map(t -> t.path("networking").path("podSubnet").asText(null));
            if (subnet.isPresent()) {
                return Optional.of(new String[] {subnet.get(), "networking.podSubnet of ConfigMap kubeadm-config"});
            }
        }
        return Optional.empty();
    }

    /**
     * The cluster-wide CNI facts: each plugin's DaemonSets, pool, and nodes with its config; the votes of the
     * three signals; the plugin in use when every vote agrees; the nodes whose files could not be checked.
     */
    public static Map<String, Object> cluster(FactContext context) {
        Snapshot snapshot = context.snapshot();
        Map<String, List<DaemonSet>> daemonSets = new TreeMap<>();
        for (DaemonSet daemonSet : snapshot.daemonSets()) {
            daemonSetPlugin(daemonSet).ifPresent(p -> daemonSets
                    .computeIfAbsent(p, k -> new ArrayList<>())
                    .add(daemonSet));
        }
        Map<String, List<String>> nodesWithConfig = new TreeMap<>();
        List<String> unknownNodes = new ArrayList<>();
        for (Node node : snapshot.nodes()) {
            String name = node.getMetadata().getName();
            Optional<List<ConfigFile>> configs = snapshot.nodeFacts(name).flatMap(f -> configs(f, context::cniConfig));
            if (configs.isEmpty()) {
                unknownNodes.add(name);
                continue;
            }
            configs.get().stream()
                    .filter(ConfigFile::loadable)
                    .map(ConfigFile::plugin)
                    .filter(p -> !p.equals("loopback"))
                    .distinct()
                    .forEach(p -> nodesWithConfig
                            .computeIfAbsent(p, k -> new ArrayList<>())
                            .add(name));
        }
        TreeMap<String, String> pools = new TreeMap<>();
        Set<String> plugins = new TreeSet<>(daemonSets.keySet());
        plugins.addAll(nodesWithConfig.keySet());
        for (String plugin : plugins) {
            pool(snapshot, plugin, daemonSets.getOrDefault(plugin, List.of())).ifPresent(p -> pools.put(plugin, p));
        }

        Map<String, Object> fact = new LinkedHashMap<>();
        Optional<String[]> clusterCidr = clusterCidr(context);
        clusterCidr.ifPresent(c -> {
            fact.put("clusterCidr", c[0]);
            fact.put("clusterCidrSource", c[1]);
        });
        fact.put("plugins", new ArrayList<>(plugins));
        fact.put("pools", pools);
        Map<String, Object> configured = new TreeMap<>();
        nodesWithConfig.forEach((plugin, nodes) -> configured.put(plugin, nodes));
        fact.put("nodesWithConfig", configured);
        Map<String, Object> daemonSetNames = new TreeMap<>();
        daemonSets.forEach((plugin, list) -> daemonSetNames.put(
                plugin,
                list.stream()
                        .map(d -> d.getMetadata().getNamespace() + "/"
                                + d.getMetadata().getName())
                        .toList()));
        fact.put("daemonSets", daemonSetNames);
        fact.put("unknownNodes", unknownNodes);

        Map<String, String> votes = new LinkedHashMap<>();
        Optional<Cidr> cidr = clusterCidr.flatMap(c -> Cidr.parse(c[0]));
        cidr.ifPresent(c -> {
            List<String> matching = pools.entrySet().stream()
                    .filter(e -> Cidr.parse(e.getValue()).map(c::covers).orElse(false))
                    .map(Map.Entry::getKey)
                    .toList();
            if (matching.size() == 1) {
                votes.put("clusterCidr", matching.get(0));
            }
        });
        strictMax(nodesWithConfig.entrySet().stream()
                        .collect(
                                TreeMap<String, Integer>::new,
                                (m, e) -> m.put(e.getKey(), e.getValue().size()),
                                Map::putAll))
                .ifPresent(p -> votes.put("nodeConfigs", p));
        Map<String, Integer> podsPerPool = new TreeMap<>();
        // Each pool is parsed once, not once per pod.
        Map<String, Optional<Cidr>> poolCidrs = new LinkedHashMap<>();
        pools.forEach((plugin, pool) -> poolCidrs.put(plugin, Cidr.parse(pool)));
        for (Pod pod : context.podsWithIp()) {
            poolCidrs.forEach((plugin, pool) -> {
                if (pool.flatMap(c -> c.contains(pod.getStatus().getPodIP())).orElse(false)) {
                    podsPerPool.merge(plugin, 1, Integer::sum);
                }
            });
        }
        strictMax(podsPerPool).ifPresent(p -> votes.put("podIPs", p));
        fact.put("podsPerPool", podsPerPool);
        fact.put("votes", votes);
        if (!votes.isEmpty() && votes.values().stream().distinct().count() == 1) {
            fact.put("inUse", votes.values().iterator().next());
        }
        return fact;
    }

    private static Optional<String> strictMax(Map<String, Integer> counts) {
        int best = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> leaders = counts.entrySet().stream()
                .filter(e -> e.getValue() == best && best > 0)
                .map(Map.Entry::getKey)
                .toList();
        return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
    }

    /** Pods on the pod network (not hostNetwork) with an IP, sorted by namespace and name. */
    static List<Pod> podsWithIp(FactContext context) {
        List<Pod> pods = new ArrayList<>();
        for (PodCollection.Keyed pod : context.sortedKeyed()) {
            if (pod.networkIp() != null) {
                pods.add(pod.pod());
            }
        }
        return Collections.unmodifiableList(pods);
    }
}
