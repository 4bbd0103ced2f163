package dev.remedy.solver;

import dev.remedy.IntTally;
import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.LabelSelectors;
import dev.remedy.facts.ResourceAmounts;
import dev.remedy.facts.Snapshot;
import dev.remedy.knowledge.Match;
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
import java.util.ArrayList;
import java.util.Arrays;
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
    public record NodeModel(String name, NodeLoad load, int evictablePods, Map<Budget, Integer> budgetPods) {}

    /** What was read of the snapshot for every model of it. */
    private final Prepared prepared;
    /** The nodes in detail. */
    private final Map<String, NodeModel> nodes;

    private final ClusterLimits limits;

    private ClusterModel(Prepared prepared, Map<String, NodeModel> nodes, ClusterLimits limits) {
        this.prepared = prepared;
        this.nodes = nodes;
        this.limits = limits;
    }

    /** The model with every node in detail. */
    public static ClusterModel of(Snapshot snapshot, int maxUnavailableNodes) {
        Prepared prepared = prepare(snapshot);
        return prepared.model(prepared.podsByNode.keySet(), maxUnavailableNodes);
    }

    /**
     * The model of the problem's cluster, with only the nodes its actions name in detail: the solver asks for no
     * other node's pods and budgets, and on a large cluster most nodes are named by no finding.
     */
    public static ClusterModel of(SchedulingProblem problem) {
        return of(problem, prepare(problem.snapshot()));
    }

    /** The same, from what was read of the problem's snapshot before the problem was known. */
    static ClusterModel of(SchedulingProblem problem, Prepared prepared) {
        Set<String> named = new HashSet<>();
        for (SchedulingProblem.FindingOptions finding : problem.findings()) {
            for (SchedulingProblem.Option option : finding.options()) {
                for (Match.Action action : option.actions()) {
                    if (action.node() != null) {
                        named.add(action.node());
                    }
                }
            }
        }
        return prepared.model(named, problem.maxUnavailableNodes());
    }

    /**
     * Reads what the model needs of the snapshot alone, in the one pass over every pod (the bulk of a large
     * snapshot): each pod's requests added to its node's totals, and for a pod a drain would evict its requests
     * and budgets too; the pods counted against the budgets whose allowed disruptions come from the count; the
     * nodes that run a kube-apiserver. It needs no finding, so it can run while the findings are derived, and the
     * nodes the findings name are then modelled without reading a pod again (a second pass over their pods,
     * long out of the processor's caches, cost more than selecting every evicted pod's budgets here).
     */
    static Prepared prepare(Snapshot snapshot) {
        List<Node> nodeList = snapshot.nodes();
        Map<String, PodsOnNode> podsByNode = HashMap.newHashMap(nodeList.size());
        for (Node node : nodeList) {
            podsByNode.put(node.getMetadata().getName(), new PodsOnNode());
        }
        BudgetIndex budgetIndex = new BudgetIndex(snapshot.podDisruptionBudgets());
        Set<String> apiserverNodes = new HashSet<>();
        ResourceAmounts cpuAmounts = new ResourceAmounts(1000);
        ResourceAmounts memoryAmounts = new ResourceAmounts(1);
        for (Pod pod : snapshot.view(Pod.class)) {
            if (finished(pod)) {
                continue;
            }
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            PodsOnNode onNode = node == null ? null : podsByNode.get(node);
            if (onNode != null && !stays(pod)) {
                // A drain of its node evicts it: the budgets that select it are noted with the node now, while
                // the pod is at hand, and counted in the same visit.
                budgetIndex.selectAndCount(pod);
                onNode.add(pod, cpuAmounts, memoryAmounts, budgetIndex);
            } else {
                budgetIndex.count(pod);
                if (onNode != null) {
                    onNode.add(pod, cpuAmounts, memoryAmounts, null);
                }
            }
            if (node != null
                    && "kube-system".equals(pod.getMetadata().getNamespace())
                    && pod.getSpec().getContainers().stream().anyMatch(c -> "kube-apiserver".equals(c.getName()))) {
                apiserverNodes.add(node);
            }
        }

        Map<String, List<String>> addressesByNode = new TreeMap<>();
        long freeCpu = 0;
        long freeMemory = 0;
        for (Node node : nodeList) {
            String name = node.getMetadata().getName();
            Map<String, Quantity> allocatable =
                    node.getStatus() == null ? null : node.getStatus().getAllocatable();
            PodsOnNode pods = podsByNode.get(name);
            pods.spareCpu = Math.max(0, cpuAmounts.of(allocatable, "cpu") - pods.usedCpu);
            pods.spareMemory = Math.max(0, memoryAmounts.of(allocatable, "memory") - pods.usedMemory);
            freeCpu += pods.spareCpu;
            freeMemory += pods.spareMemory;
            List<String> addresses = new ArrayList<>();
            if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
                node.getStatus().getAddresses().stream()
                        .map(NodeAddress::getAddress)
                        .forEach(addresses::add);
            }
            addressesByNode.put(name, addresses);
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
                addressesByNode.forEach((node, addresses) -> {
                    if (node.equals(member.name()) || addresses.contains(host)) {
                        etcdMemberByNode.putIfAbsent(node, member);
                    }
                });
            }
        }
        Set<String> cni = new HashSet<>();
        for (DaemonSet daemonSet : snapshot.daemonSets()) {
            if (mountsCniConfig(daemonSet)) {
                cni.add(daemonSet.getMetadata().getNamespace() + "/"
                        + daemonSet.getMetadata().getName());
            }
        }
        return new Prepared(
                podsByNode,
                addressesByNode,
                budgetIndex.budgets(),
                etcdMemberByNode,
                etcdMembers,
                apiserverNodes,
                cni,
                nodeList,
                members,
                healthy,
                freeCpu,
                freeMemory);
    }

    /**
     * What {@link #prepare} read of a snapshot; never changed after, so any thread may make models of it once it
     * is handed over.
     */
    record Prepared(
            Map<String, PodsOnNode> podsByNode,
            Map<String, List<String>> addressesByNode,
            List<Budget> budgets,
            Map<String, EtcdFacts.Member> etcdMemberByNode,
            Map<String, EtcdFacts.Member> etcdMembers,
            Set<String> apiserverNodes,
            Set<String> cniDaemonSets,
            List<Node> nodeList,
            int etcdMemberCount,
            int etcdHealthy,
            long freeCpu,
            long freeMemory) {

        /**
         * The model with the {@code detailed} nodes in full (a name the snapshot has no node of is left out): what
         * a drain of each evicts, by budget.
         */
        ClusterModel model(Set<String> detailed, int maxUnavailableNodes) {
            Map<String, NodeModel> nodes = HashMap.newHashMap(detailed.size());
            for (String name : detailed) {
                PodsOnNode pods = podsByNode.get(name);
                if (pods != null) {
                    nodes.put(name, pods.model(name, budgets));
                }
            }
            return new ClusterModel(
                    this,
                    nodes,
                    new ClusterLimits(
                            maxUnavailableNodes,
                            etcdMemberCount,
                            etcdHealthy,
                            apiserverNodes.size(),
                            freeCpu,
                            freeMemory));
        }
    }

    public ClusterLimits limits() {
        return limits;
    }

    /** The node of this name; null when the snapshot has no such node. */
    public NodeModel node(String name) {
        NodeModel node = nodes.get(name);
        if (node == null && prepared.addressesByNode().containsKey(name)) {
            throw new IllegalArgumentException("The cluster model has node (" + name
                    + ") but not in detail: only the nodes the problem's actions name are.\n"
                    + "Maybe build the model from the problem that names it.");
        }
        return node;
    }

    public EtcdFacts.Member etcdMemberOn(String node) {
        return prepared.etcdMemberByNode().get(node);
    }

    /** The etcd member of this name, or null. */
    public EtcdFacts.Member etcdMember(String name) {
        return prepared.etcdMembers().get(name);
    }

    public boolean runsApiserver(String node) {
        return prepared.apiserverNodes().contains(node);
    }

    public boolean isCniDaemonSet(String namespace, String name) {
        return prepared.cniDaemonSets().contains(namespace + "/" + name);
    }

    /** Whether a node of the facts carries every label of {@code selector}, so a DaemonSet pod would run there. */
    public boolean anyNodeCarries(Map<String, String> selector) {
        // Read from the nodes when asked (only for a patch of a CNI DaemonSet), not copied for every node up front.
        return prepared.nodeList().stream()
                .map(n -> n.getMetadata().getLabels() == null
                        ? Map.<String, String>of()
                        : n.getMetadata().getLabels())
                .anyMatch(labels -> labels.entrySet().containsAll(selector.entrySet()));
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

    /**
     * The pods on one node: their requests, and of those a drain evicts the requests and the count by budget, in
     * the order the pods (in the snapshot's order) first count against them.
     */
    private static final class PodsOnNode {
        long usedCpu;
        long usedMemory;
        long spareCpu;
        long spareMemory;
        long evictCpu;
        long evictMemory;
        int evictable;
        /** How many evicted pods each budget selects, by the budget's number. */
        private final IntTally evictedPerBudget = new IntTally();

        /**
         * Adds a pod; a pod a drain evicts comes with the budget index it was just {@link BudgetIndex#selectAndCount
         * selected} in, else null.
         */
        void add(Pod pod, ResourceAmounts cpuAmounts, ResourceAmounts memoryAmounts, BudgetIndex evictedBudgets) {
            long cpu = 0;
            long memory = 0;
            for (Container container : pod.getSpec().getContainers()) {
                if (container.getResources() != null) {
                    Map<String, Quantity> requests = container.getResources().getRequests();
                    cpu += cpuAmounts.of(requests, "cpu");
                    memory += memoryAmounts.of(requests, "memory");
                }
            }
            usedCpu += cpu;
            usedMemory += memory;
            if (evictedBudgets == null) {
                return;
            }
            evictable++;
            evictCpu += cpu;
            evictMemory += memory;
            for (int i = 0; i < evictedBudgets.selectedCount; i++) {
                evictedPerBudget.add(evictedBudgets.selected[i]);
            }
        }

        /** The node in detail: the pods a drain evicts, and what taking it out costs the rest of the cluster. */
        NodeModel model(String name, List<Budget> budgets) {
            Map<Budget, Integer> byBudget = LinkedHashMap.newLinkedHashMap(evictedPerBudget.size());
            for (int i = 0; i < evictedPerBudget.size(); i++) {
                byBudget.put(budgets.get(evictedPerBudget.number(i)), evictedPerBudget.count(i));
            }
            return new NodeModel(
                    name, new NodeLoad(name, evictCpu + spareCpu, evictMemory + spareMemory), evictable, byBudget);
        }
    }

    /**
     * The PodDisruptionBudgets, each indexed by one label it requires (or its namespace when it requires none),
     * so that a pod is tested only against budgets that may select it; counts the pods each budget selects.
     * Budgets are numbered by name ({@code namespace/name}), so two objects of one name count as one budget, and
     * the last of them says whether its count is read.
     */
    private static final class BudgetIndex {
        private final List<PodDisruptionBudget> pdbs;
        private final List<String> names = new ArrayList<>();
        private final Map<String, List<Indexed>> byNamespace = new HashMap<>();
        private final Map<String, Map<String, Map<String, List<Indexed>>>> byLabel = new HashMap<>();
        /** The same, of only the budgets whose count is read: those of a name whose last has no status. */
        private final Map<String, List<Indexed>> countedByNamespace = new HashMap<>();

        private final Map<String, Map<String, Map<String, List<Indexed>>>> countedByLabel = new HashMap<>();
        /**
         * The one label key of a namespace whose budgets, all of them or those whose count is read, are indexed by
         * one key; it is the same key for both when both have one, as the counted budgets are some of all.
         */
        private final Map<String, String> soleKeys = new HashMap<>();

        private final boolean[] counted;
        private final int[] expected;
        private final int[] healthy;
        /** The numbers of the budgets the last pod {@link #selectAndCount selected} is in, in their first places. */
        int[] selected = new int[4];

        int selectedCount;

        /** A budget and the number of its name. */
        private record Indexed(PodDisruptionBudget pdb, int id) {}

        BudgetIndex(List<PodDisruptionBudget> pdbs) {
            this.pdbs = pdbs;
            Map<String, Integer> ids = new HashMap<>();
            List<Indexed> indexed = new ArrayList<>();
            List<Boolean> counted = new ArrayList<>();
            for (PodDisruptionBudget pdb : pdbs) {
                int id = ids.computeIfAbsent(key(pdb), k -> {
                    names.add(k);
                    counted.add(false);
                    return names.size() - 1;
                });
                counted.set(id, pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null);
                if (pdb.getSpec() != null) {
                    indexed.add(new Indexed(pdb, id));
                }
            }
            for (Indexed budget : indexed) {
                add(budget, byNamespace, byLabel);
                if (counted.get(budget.id())) {
                    add(budget, countedByNamespace, countedByLabel);
                }
            }
            for (Map<String, Map<String, Map<String, List<Indexed>>>> index : List.of(byLabel, countedByLabel)) {
                index.forEach((namespace, byKey) -> {
                    if (byKey.size() == 1) {
                        soleKeys.put(namespace, byKey.keySet().iterator().next());
                    }
                });
            }
            this.counted = new boolean[names.size()];
            for (int id = 0; id < names.size(); id++) {
                this.counted[id] = counted.get(id);
            }
            expected = new int[names.size()];
            healthy = new int[names.size()];
        }

        private static void add(
                Indexed indexed,
                Map<String, List<Indexed>> byNamespace,
                Map<String, Map<String, Map<String, List<Indexed>>>> byLabel) {
            LabelSelector selector = indexed.pdb().getSpec().getSelector();
            String namespace = indexed.pdb().getMetadata().getNamespace();
            if (selector == null
                    || selector.getMatchLabels() == null
                    || selector.getMatchLabels().isEmpty()) {
                byNamespace.computeIfAbsent(namespace, n -> new ArrayList<>()).add(indexed);
                return;
            }
            Map.Entry<String, String> label = selector.getMatchLabels().entrySet().stream()
                    .min(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                    .orElseThrow();
            byLabel.computeIfAbsent(namespace, n -> new HashMap<>())
                    .computeIfAbsent(label.getKey(), k -> new HashMap<>())
                    .computeIfAbsent(label.getValue(), v -> new ArrayList<>())
                    .add(indexed);
        }

        /**
         * Notes the budgets that select this pod in {@link #selected}, in a fixed order, and counts the pod in those
         * whose count is read.
         */
        void selectAndCount(Pod pod) {
            selectedCount = 0;
            visit(pod, byNamespace, byLabel, true);
        }

        /** Counts the pod in each budget whose count is read that selects it. */
        void count(Pod pod) {
            if (!countedByNamespace.isEmpty() || !countedByLabel.isEmpty()) {
                visit(pod, countedByNamespace, countedByLabel, false);
            }
        }

        /**
         * Each budget of the index that selects the pod, noted in {@link #selected} when {@code select}, and counted
         * when its count is read.
         */
        private void visit(
                Pod pod,
                Map<String, List<Indexed>> byNamespace,
                Map<String, Map<String, Map<String, List<Indexed>>>> byLabel,
                boolean select) {
            String namespace = pod.getMetadata().getNamespace();
            Map<String, String> labels = pod.getMetadata().getLabels() == null
                    ? Map.of()
                    : pod.getMetadata().getLabels();
            Boolean ready = null;
            List<Indexed> all = byNamespace.get(namespace);
            if (all != null) {
                for (Indexed budget : all) {
                    ready = match(budget, pod, labels, ready, select);
                }
            }
            Map<String, Map<String, List<Indexed>>> inNamespace = byLabel.get(namespace);
            if (inNamespace != null && inNamespace.size() == 1) {
                // One label key indexes the namespace's budgets (as a rule): the pod has one label of it at most, so
                // looking that up finds what going through the pod's labels would.
                String key = soleKeys.get(namespace);
                List<Indexed> candidates = inNamespace.get(key).get(labels.get(key));
                if (candidates != null) {
                    for (Indexed budget : candidates) {
                        ready = match(budget, pod, labels, ready, select);
                    }
                }
            } else if (inNamespace != null) {
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    Map<String, List<Indexed>> byValue = inNamespace.get(label.getKey());
                    List<Indexed> candidates = byValue == null ? null : byValue.get(label.getValue());
                    if (candidates != null) {
                        for (Indexed budget : candidates) {
                            ready = match(budget, pod, labels, ready, select);
                        }
                    }
                }
            }
        }

        /** Selects and counts the pod in the budget if it selects it; whether the pod is ready, once known. */
        private Boolean match(Indexed budget, Pod pod, Map<String, String> labels, Boolean ready, boolean select) {
            if (!matches(budget.pdb().getSpec().getSelector(), labels)) {
                return ready;
            }
            if (select) {
                if (selectedCount == selected.length) {
                    selected = Arrays.copyOf(selected, selectedCount * 2);
                }
                selected[selectedCount++] = budget.id();
            }
            if (!counted[budget.id()]) {
                return ready;
            }
            boolean isReady = ready == null ? ready(pod) : ready;
            expected[budget.id()]++;
            healthy[budget.id()] += isReady ? 1 : 0;
            return isReady;
        }

        /** Each budget's allowed disruptions, from the pods counted so far, by the number of its name. */
        List<Budget> budgets() {
            Budget[] budgets = new Budget[names.size()];
            Map<String, Integer> ids = new HashMap<>();
            for (PodDisruptionBudget pdb : pdbs) {
                String name = key(pdb);
                int id = ids.computeIfAbsent(name, k -> ids.size());
                budgets[id] = new Budget(name, allowed(pdb, expected[id], healthy[id]));
            }
            return Arrays.asList(budgets);
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
