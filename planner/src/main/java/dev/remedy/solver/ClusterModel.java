package dev.remedy.solver;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.LabelSelectors;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the solver needs to know of the cluster, indexed once: per node its evictable pods (by budget) and
 * spare requests, the etcd member and kube-apiserver on it, each PodDisruptionBudget's allowed disruptions,
 * and the CNI DaemonSets. {@link ActionEffects} reads it to say what an action disrupts.
 */
public final class ClusterModel {

    /** One node: the pods a drain evicts and what taking it out costs the rest of the cluster. */
    public record NodeModel(
            String name, Set<String> addresses, NodeLoad load, int evictablePods, Map<Budget, Integer> budgetPods) {}

    private final Map<String, NodeModel> nodes;
    private final Map<String, EtcdFacts.Member> etcdMemberByNode;
    private final Map<String, EtcdFacts.Member> etcdMembers;
    private final Set<String> apiserverNodes;
    private final Set<String> cniDaemonSets;
    private final List<Map<String, String>> nodeLabels;
    private final ClusterLimits limits;

    private ClusterModel(
            Map<String, NodeModel> nodes,
            Map<String, EtcdFacts.Member> etcdMemberByNode,
            Map<String, EtcdFacts.Member> etcdMembers,
            Set<String> apiserverNodes,
            Set<String> cniDaemonSets,
            List<Map<String, String>> nodeLabels,
            ClusterLimits limits) {
        this.nodes = nodes;
        this.etcdMemberByNode = etcdMemberByNode;
        this.etcdMembers = etcdMembers;
        this.apiserverNodes = apiserverNodes;
        this.cniDaemonSets = cniDaemonSets;
        this.nodeLabels = nodeLabels;
        this.limits = limits;
    }

    public static ClusterModel of(Snapshot snapshot, int maxUnavailableNodes) {
        List<Node> nodeList = snapshot.nodes();
        BudgetIndex budgetIndex = new BudgetIndex(snapshot.podDisruptionBudgets());
        // One pass over the pods (the bulk of a large snapshot): each pod's requests, whether a drain evicts
        // it, and the budgets it counts against, added to its node's totals.
        Map<String, PodsOnNode> podsByNode = new HashMap<>();
        Set<String> apiserverNodes = new HashSet<>();
        // Pods repeat a few request strings; parsing each into a BigDecimal once per model is most of the cost.
        Map<Amount, Long> amounts = new HashMap<>();
        for (Pod pod : snapshot.pods()) {
            if (finished(pod)) {
                continue;
            }
            List<String> podBudgets = budgetIndex.count(pod);
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (node == null) {
                continue;
            }
            PodsOnNode onNode = podsByNode.computeIfAbsent(node, n -> new PodsOnNode());
            onNode.add(pod, requests(pod, amounts), podBudgets);
            if ("kube-system".equals(pod.getMetadata().getNamespace())
                    && pod.getSpec().getContainers().stream().anyMatch(c -> "kube-apiserver".equals(c.getName()))) {
                apiserverNodes.add(node);
            }
        }
        Map<String, Budget> budgets = budgetIndex.budgets();

        Map<String, NodeModel> nodes = new TreeMap<>();
        long freeCpu = 0;
        long freeMemory = 0;
        for (Node node : nodeList) {
            String name = node.getMetadata().getName();
            long[] allocatable =
                    resources(node.getStatus() == null ? null : node.getStatus().getAllocatable(), amounts);
            PodsOnNode pods = podsByNode.getOrDefault(name, new PodsOnNode());
            Map<Budget, Integer> budgetPods = new LinkedHashMap<>();
            pods.budgetPods.forEach((budget, count) -> budgetPods.put(budgets.get(budget), count));
            long spareCpu = Math.max(0, allocatable[0] - pods.usedCpu);
            long spareMemory = Math.max(0, allocatable[1] - pods.usedMemory);
            freeCpu += spareCpu;
            freeMemory += spareMemory;
            Set<String> addresses = new HashSet<>();
            if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
                node.getStatus().getAddresses().stream()
                        .map(NodeAddress::getAddress)
                        .forEach(addresses::add);
            }
            nodes.put(
                    name,
                    new NodeModel(
                            name,
                            addresses,
                            new NodeLoad(name, pods.evictCpu + spareCpu, pods.evictMemory + spareMemory),
                            pods.evictable,
                            budgetPods));
        }

        Map<String, EtcdFacts.Member> etcdMemberByNode = new HashMap<>();
        Map<String, EtcdFacts.Member> etcdMembers = new HashMap<>();
        int members = 0;
        int healthy = 0;
        if (snapshot.etcd().isPresent()) {
            for (EtcdFacts.Member member : snapshot.etcd().get().members()) {
                members++;
                healthy += member.isHealthy() ? 1 : 0;
                etcdMembers.put(member.name(), member);
                String host = member.clientHost();
                for (NodeModel node : nodes.values()) {
                    if (node.name().equals(member.name()) || node.addresses().contains(host)) {
                        etcdMemberByNode.putIfAbsent(node.name(), member);
                    }
                }
            }
        }
        Set<String> cni = new HashSet<>();
        for (DaemonSet daemonSet : snapshot.daemonSets()) {
            if (mountsCniConfig(daemonSet)) {
                cni.add(daemonSet.getMetadata().getNamespace() + "/"
                        + daemonSet.getMetadata().getName());
            }
        }
        return new ClusterModel(
                nodes,
                etcdMemberByNode,
                etcdMembers,
                apiserverNodes,
                cni,
                nodeList.stream()
                        .map(n -> n.getMetadata().getLabels() == null
                                ? Map.<String, String>of()
                                : Map.copyOf(n.getMetadata().getLabels()))
                        .toList(),
                new ClusterLimits(maxUnavailableNodes, members, healthy, apiserverNodes.size(), freeCpu, freeMemory));
    }

    public ClusterLimits limits() {
        return limits;
    }

    public NodeModel node(String name) {
        return nodes.get(name);
    }

    public EtcdFacts.Member etcdMemberOn(String node) {
        return etcdMemberByNode.get(node);
    }

    /** The etcd member of this name, or null. */
    public EtcdFacts.Member etcdMember(String name) {
        return etcdMembers.get(name);
    }

    public boolean runsApiserver(String node) {
        return apiserverNodes.contains(node);
    }

    public boolean isCniDaemonSet(String namespace, String name) {
        return cniDaemonSets.contains(namespace + "/" + name);
    }

    /** Whether a node of the facts carries every label of {@code selector}, so a DaemonSet pod would run there. */
    public boolean anyNodeCarries(Map<String, String> selector) {
        return nodeLabels.stream().anyMatch(labels -> labels.entrySet().containsAll(selector.entrySet()));
    }

    private static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** DaemonSet pods and static (mirror) pods stay on a drained node. */
    private static boolean stays(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners != null) {
            for (OwnerReference owner : owners) {
                if ("DaemonSet".equals(owner.getKind()) || "Node".equals(owner.getKind())) {
                    return true;
                }
            }
        }
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey("kubernetes.io/config.mirror");
    }

    private static boolean mountsCniConfig(DaemonSet daemonSet) {
        if (daemonSet.getSpec() == null
                || daemonSet.getSpec().getTemplate() == null
                || daemonSet.getSpec().getTemplate().getSpec() == null
                || daemonSet.getSpec().getTemplate().getSpec().getVolumes() == null) {
            return false;
        }
        for (Volume volume : daemonSet.getSpec().getTemplate().getSpec().getVolumes()) {
            if (volume.getHostPath() != null
                    && volume.getHostPath().getPath() != null
                    && volume.getHostPath().getPath().startsWith("/etc/cni")) {
                return true;
            }
        }
        return false;
    }

    /** The requests of the pods on one node, and the pods a drain evicts from it, by budget. */
    private static final class PodsOnNode {
        long usedCpu;
        long usedMemory;
        long evictCpu;
        long evictMemory;
        int evictable;
        final Map<String, Integer> budgetPods = new LinkedHashMap<>();

        void add(Pod pod, long[] requests, List<String> budgets) {
            usedCpu += requests[0];
            usedMemory += requests[1];
            if (stays(pod)) {
                return;
            }
            evictable++;
            evictCpu += requests[0];
            evictMemory += requests[1];
            for (String budget : budgets) {
                budgetPods.merge(budget, 1, Integer::sum);
            }
        }
    }

    private static long[] requests(Pod pod, Map<Amount, Long> amounts) {
        long cpu = 0;
        long memory = 0;
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getResources() != null) {
                long[] r = resources(container.getResources().getRequests(), amounts);
                cpu += r[0];
                memory += r[1];
            }
        }
        return new long[] {cpu, memory};
    }

    private static long[] resources(Map<String, Quantity> quantities, Map<Amount, Long> amounts) {
        if (quantities == null) {
            return new long[] {0, 0};
        }
        return new long[] {amount(quantities.get("cpu"), 1000, amounts), amount(quantities.get("memory"), 1, amounts)};
    }

    /** A request as written, scaled (CPU to millicores): the key of the parsed amounts. */
    private record Amount(int scale, String amount, String format) {}

    private static long amount(Quantity quantity, int scale, Map<Amount, Long> amounts) {
        if (quantity == null) {
            return 0;
        }
        return amounts.computeIfAbsent(
                new Amount(scale, quantity.getAmount(), quantity.getFormat()), k -> quantity.getNumericalAmount()
                        .multiply(BigDecimal.valueOf(scale))
                        .longValue());
    }

    /**
     * The PodDisruptionBudgets, each indexed by one label it requires (or its namespace when it requires none),
     * so that a pod is tested only against budgets that may select it; counts the pods each budget selects.
     */
    private static final class BudgetIndex {
        private final List<PodDisruptionBudget> pdbs;
        private final Map<String, List<PodDisruptionBudget>> byNamespace = new HashMap<>();
        private final Map<String, Map<String, Map<String, List<PodDisruptionBudget>>>> byLabel = new HashMap<>();
        private final Map<String, int[]> counts = new HashMap<>();

        BudgetIndex(List<PodDisruptionBudget> pdbs) {
            this.pdbs = pdbs;
            for (PodDisruptionBudget pdb : pdbs) {
                if (pdb.getSpec() == null) {
                    continue;
                }
                LabelSelector selector = pdb.getSpec().getSelector();
                String namespace = pdb.getMetadata().getNamespace();
                if (selector == null
                        || selector.getMatchLabels() == null
                        || selector.getMatchLabels().isEmpty()) {
                    byNamespace
                            .computeIfAbsent(namespace, n -> new ArrayList<>())
                            .add(pdb);
                    continue;
                }
                Map.Entry<String, String> label = selector.getMatchLabels().entrySet().stream()
                        .min(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                        .orElseThrow();
                byLabel.computeIfAbsent(namespace, n -> new HashMap<>())
                        .computeIfAbsent(label.getKey(), k -> new HashMap<>())
                        .computeIfAbsent(label.getValue(), v -> new ArrayList<>())
                        .add(pdb);
            }
        }

        /** The budgets (namespace/name) that select this pod, each counting it. */
        List<String> count(Pod pod) {
            String namespace = pod.getMetadata().getNamespace();
            Map<String, String> labels = pod.getMetadata().getLabels() == null
                    ? Map.of()
                    : pod.getMetadata().getLabels();
            List<PodDisruptionBudget> candidates = new ArrayList<>(byNamespace.getOrDefault(namespace, List.of()));
            Map<String, Map<String, List<PodDisruptionBudget>>> inNamespace = byLabel.get(namespace);
            if (inNamespace != null) {
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    Map<String, List<PodDisruptionBudget>> byValue = inNamespace.get(label.getKey());
                    if (byValue != null) {
                        candidates.addAll(byValue.getOrDefault(label.getValue(), List.of()));
                    }
                }
            }
            List<String> selecting = new ArrayList<>(candidates.size());
            for (PodDisruptionBudget pdb : candidates) {
                if (matches(pdb.getSpec().getSelector(), labels)) {
                    String key = key(pdb);
                    selecting.add(key);
                    int[] c = counts.computeIfAbsent(key, k -> new int[2]);
                    c[0]++;
                    c[1] += ready(pod) ? 1 : 0;
                }
            }
            return selecting;
        }

        /** Each budget's allowed disruptions, from the pods counted so far. */
        Map<String, Budget> budgets() {
            Map<String, Budget> budgets = new LinkedHashMap<>();
            for (PodDisruptionBudget pdb : pdbs) {
                int[] c = counts.getOrDefault(key(pdb), new int[2]);
                budgets.put(key(pdb), new Budget(key(pdb), allowed(pdb, c[0], c[1])));
            }
            return budgets;
        }
    }

    private static String key(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    private static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    /** The budget's allowed disruptions: as its status reports, else from its spec and the matched pods. */
    static int allowed(PodDisruptionBudget pdb, int expected, int healthy) {
        if (pdb.getStatus() != null && pdb.getStatus().getDisruptionsAllowed() != null) {
            return pdb.getStatus().getDisruptionsAllowed();
        }
        int desired;
        if (pdb.getSpec().getMinAvailable() != null) {
            desired = scaled(pdb.getSpec().getMinAvailable(), expected);
        } else if (pdb.getSpec().getMaxUnavailable() != null) {
            desired = expected - scaled(pdb.getSpec().getMaxUnavailable(), expected);
        } else {
            desired = expected;
        }
        return Math.max(0, healthy - desired);
    }

    private static int scaled(IntOrString value, int total) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal().strip();
        if (text.endsWith("%")) {
            return (int) Math.ceil(total * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0);
        }
        return Integer.parseInt(text);
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return LabelSelectors.selects(selector, labels);
    }
}
