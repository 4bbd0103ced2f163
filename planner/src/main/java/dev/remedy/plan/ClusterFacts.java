package dev.remedy.plan;

import dev.remedy.IntTally;
import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.LabelSelectors;
import dev.remedy.facts.ResourceAmounts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ObjIntConsumer;

/**
 * The facts the verifier checks a plan against, read from the snapshot on their own (deliberately not shared
 * with the solver, so a mistake in one is caught by the other): pods per node, budgets, etcd, apiservers.
 */
final class ClusterFacts {

    /**
     * What a drain or reboot of one node disrupts: the requests of the pods that must find room elsewhere, and
     * how many of them each PodDisruptionBudget covers (a pod in two budgets counts against both).
     */
    static final class MovablePods {
        long cpuMillis;
        long memoryBytes;
        /** The budget names, by the numbers {@link #budgets} counts: the facts' list, filled as it is read. */
        private final List<String> budgetNames;
        /** How many pods that must move each budget covers, by the budget's number. */
        private final IntTally budgets = new IntTally();

        MovablePods(List<String> budgetNames) {
            this.budgetNames = budgetNames;
        }

        /** Counts one more pod that must move against the budget of this number. */
        void countBudget(int budget) {
            budgets.add(budget);
        }

        /** Each budget that covers pods that must move, by name, with how many of them it covers. */
        void forEachBudget(ObjIntConsumer<String> action) {
            for (int i = 0; i < budgets.size(); i++) {
                action.accept(budgetNames.get(budgets.number(i)), budgets.count(i));
            }
        }
    }

    /** A PodDisruptionBudget's name and allowed disruptions. */
    record BudgetFacts(String name, int allowed) {}

    private final Map<String, MovablePods> movableByNode = new HashMap<>();
    /** The budgets' names, numbered in the order of their first object; {@link MovablePods} count by number. */
    private final List<String> budgetNames = new ArrayList<>();

    private boolean everyNode;
    private final Map<String, long[]> spareByNode = new HashMap<>();
    final Map<String, BudgetFacts> budgets = new TreeMap<>();
    final Map<String, EtcdFacts.Member> etcdByNode = new HashMap<>();
    final Map<String, EtcdFacts.Member> etcdByName = new HashMap<>();
    final List<String> apiserverNodes = new ArrayList<>();
    final List<String> cniDaemonSets = new ArrayList<>();
    final List<Map<String, String>> nodeLabels = new ArrayList<>();
    int etcdMembers;
    int etcdHealthy;
    long spareCpuMillis;
    long spareMemoryBytes;

    /** The pods a drain or reboot of {@code node} disrupts; it must be one the facts were read for. */
    MovablePods movablePods(String node) {
        MovablePods pods = movableByNode.get(node);
        if (pods == null && everyNode) {
            return new MovablePods(budgetNames);
        }
        if (pods == null) {
            throw new IllegalArgumentException("The verifier's facts do not cover node (" + node
                    + "): only the nodes the plan takes out of service.\nMaybe pass it to ClusterFacts.of.");
        }
        return pods;
    }

    /** The requests {@code node} has free; none for a node the snapshot does not have. */
    long[] spare(String node) {
        return spareByNode.getOrDefault(node, new long[2]);
    }

    /**
     * The facts of {@code snapshot}, with the pods that must move worked out only for {@code disruptedNodes}
     * (the nodes a plan takes out of service; on a large cluster a small part of them); none at all for a null
     * snapshot, when only the plan is at hand.
     */
    static ClusterFacts of(Snapshot snapshot, Set<String> disruptedNodes) {
        ClusterFacts facts = new ClusterFacts();
        disruptedNodes.forEach(node -> facts.movableByNode.put(node, new MovablePods(facts.budgetNames)));
        return read(facts, snapshot);
    }

    /**
     * The facts of {@code snapshot} with the pods that must move worked out for every node, for any plan: what the
     * planner reads while the plan is still being made, before it knows which nodes the plan takes out of service.
     */
    static ClusterFacts of(Snapshot snapshot) {
        ClusterFacts facts = new ClusterFacts();
        facts.everyNode = true;
        return read(facts, snapshot);
    }

    private static ClusterFacts read(ClusterFacts facts, Snapshot snapshot) {
        if (snapshot == null) {
            return facts;
        }
        List<Node> nodes = snapshot.nodes();
        // One lookup per pod: its node's requests so far and the pods that must move from it.
        Map<String, NodeTally> tallies = HashMap.newHashMap(nodes.size());
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            tallies.put(
                    name,
                    new NodeTally(
                            facts.everyNode
                                    ? facts.movableByNode.computeIfAbsent(name, n -> new MovablePods(facts.budgetNames))
                                    : facts.movableByNode.get(name)));
        }
        Budgets budgets = new Budgets(snapshot.podDisruptionBudgets(), facts.budgetNames);
        ResourceAmounts cpuQuantities = new ResourceAmounts(1000);
        ResourceAmounts memoryQuantities = new ResourceAmounts(1);
        for (Pod pod : snapshot.view(Pod.class)) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (node == null || "Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            long cpu = 0;
            long memory = 0;
            for (Container container : pod.getSpec().getContainers()) {
                Map<String, Quantity> requests = container.getResources() == null
                        ? null
                        : container.getResources().getRequests();
                cpu += cpuQuantities.of(requests, "cpu");
                memory += memoryQuantities.of(requests, "memory");
            }
            NodeTally tally = tallies.get(node);
            if (tally != null) {
                tally.usedCpu += cpu;
                tally.usedMemory += memory;
            }
            if ("kube-system".equals(pod.getMetadata().getNamespace())
                    && pod.getSpec().getContainers().stream()
                            .anyMatch(c -> c.getName().equals("kube-apiserver"))
                    && !facts.apiserverNodes.contains(node)) {
                facts.apiserverNodes.add(node);
            }
            MovablePods movable;
            if (tally != null) {
                movable = tally.movable;
            } else {
                movable = facts.everyNode
                        ? facts.movableByNode.computeIfAbsent(node, n -> new MovablePods(facts.budgetNames))
                        : facts.movableByNode.get(node);
            }
            if (movable == null) {
                budgets.count(pod, false);
                continue;
            }
            budgets.count(pod, true);
            if (!staysOnNode(pod)) {
                movable.cpuMillis += cpu;
                movable.memoryBytes += memory;
                for (int i = 0; i < budgets.selectedCount; i++) {
                    movable.countBudget(budgets.selected[i]);
                }
            }
        }
        for (PodDisruptionBudget pdb : snapshot.podDisruptionBudgets()) {
            String name =
                    pdb.getMetadata().getNamespace() + "/" + pdb.getMetadata().getName();
            int[] counts = budgets.counts(name);
            facts.budgets.put(name, new BudgetFacts(name, allowed(pdb, counts[0], counts[1])));
        }
        List<EtcdFacts.Member> members = snapshot.etcd().map(EtcdFacts::members).orElse(List.of());
        // A member's client host is parsed from its URL: once per member, not once per node.
        List<String> hosts = new ArrayList<>();
        members.forEach(m -> hosts.add(m.clientHost()));
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            facts.nodeLabels.add(
                    node.getMetadata().getLabels() == null
                            ? Map.of()
                            : node.getMetadata().getLabels());
            Map<String, Quantity> allocatable =
                    node.getStatus() == null ? null : node.getStatus().getAllocatable();
            NodeTally used = tallies.get(name);
            long[] spare = {
                Math.max(0, cpuQuantities.of(allocatable, "cpu") - used.usedCpu),
                Math.max(0, memoryQuantities.of(allocatable, "memory") - used.usedMemory)
            };
            facts.spareByNode.put(name, spare);
            facts.spareCpuMillis += spare[0];
            facts.spareMemoryBytes += spare[1];
            EtcdFacts.Member member = etcdMemberOn(node, members, hosts);
            if (member != null) {
                facts.etcdByNode.put(name, member);
            }
        }
        snapshot.etcd().ifPresent(etcd -> {
            etcd.members().forEach(m -> facts.etcdByName.put(m.name(), m));
            facts.etcdMembers = etcd.members().size();
            facts.etcdHealthy = (int)
                    etcd.members().stream().filter(EtcdFacts.Member::isHealthy).count();
        });
        for (DaemonSet daemonSet : snapshot.daemonSets()) {
            boolean cni = daemonSet.getSpec() != null
                    && daemonSet.getSpec().getTemplate().getSpec().getVolumes() != null
                    && daemonSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                            .anyMatch(v -> v.getHostPath() != null
                                    && Objects.toString(v.getHostPath().getPath(), "")
                                            .startsWith("/etc/cni"));
            if (cni) {
                facts.cniDaemonSets.add(daemonSet.getMetadata().getNamespace() + "/"
                        + daemonSet.getMetadata().getName());
            }
        }
        return facts;
    }

    /** A node's requests so far (CPU millicores, memory bytes) and the pods that must move from it. */
    private static final class NodeTally {
        long usedCpu;
        long usedMemory;
        final MovablePods movable;

        NodeTally(MovablePods movable) {
            this.movable = movable;
        }
    }

    /** DaemonSet pods and static (mirror) pods stay on their node through a drain. */
    private static boolean staysOnNode(Pod pod) {
        if (pod.getMetadata().getOwnerReferences() != null) {
            for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
                if (owner.getKind().equals("DaemonSet") || owner.getKind().equals("Node")) {
                    return true;
                }
            }
        }
        return pod.getMetadata().getAnnotations() != null
                && pod.getMetadata().getAnnotations().containsKey("kubernetes.io/config.mirror");
    }

    /** Whether any Ready condition of the pod is True. */
    private static boolean isReady(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if (condition.getType().equals("Ready") && condition.getStatus().equals("True")) {
                return true;
            }
        }
        return false;
    }

    /** The first member (in the etcd facts' order) named as the node or serving on one of its addresses. */
    private static EtcdFacts.Member etcdMemberOn(Node node, List<EtcdFacts.Member> members, List<String> hosts) {
        if (members.isEmpty()) {
            return null;
        }
        List<String> addresses = new ArrayList<>();
        if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
            node.getStatus().getAddresses().forEach(a -> addresses.add(a.getAddress()));
        }
        for (int i = 0; i < members.size(); i++) {
            if (node.getMetadata().getName().equals(members.get(i).name()) || addresses.contains(hosts.get(i))) {
                return members.get(i);
            }
        }
        return null;
    }

    /**
     * The PodDisruptionBudgets by namespace and the pods each selects. A budget is looked up by the value it
     * requires of one label, so that a pod is not tested against every budget of its namespace; a budget that
     * requires no label value is tested against every pod of its namespace. Each entry carries its budget's name
     * and counts, so that a match costs no further lookup.
     */
    private static final class Budgets {
        /** Pods selected and ready pods selected, by budget name. */
        private final Map<String, int[]> matched = new HashMap<>();

        private final Map<String, List<Entry>> unkeyed = new HashMap<>();
        private final Map<String, Map<String, Map<String, List<Entry>>>> keyed = new HashMap<>();
        /** The label key of a namespace whose budgets are all keyed by one. */
        private final Map<String, String> soleKeys = new HashMap<>();

        private boolean anyStatusless;

        /** The numbers of the budgets that select the pod last counted with {@code select}, in their first places. */
        int[] selected = new int[4];

        int selectedCount;

        /**
         * One budget object, the number of its name in the facts' budget names, the counts of that name, and whether
         * its allowed disruptions are counted.
         */
        private record Entry(PodDisruptionBudget pdb, int id, int[] counts, boolean statusless) {}

        /** Indexes the budgets that have a spec, numbering their names into {@code names}. */
        Budgets(List<PodDisruptionBudget> pdbs, List<String> names) {
            Map<String, Integer> ids = new HashMap<>();
            for (PodDisruptionBudget pdb : pdbs) {
                if (pdb.getSpec() == null) {
                    continue;
                }
                String namespace = pdb.getMetadata().getNamespace();
                String name = namespace + "/" + pdb.getMetadata().getName();
                boolean statusless = pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null;
                anyStatusless |= statusless;
                int id = ids.computeIfAbsent(name, k -> {
                    names.add(k);
                    return names.size() - 1;
                });
                Entry entry = new Entry(pdb, id, matched.computeIfAbsent(name, k -> new int[2]), statusless);
                Map<String, String> required = pdb.getSpec().getSelector() == null
                        ? null
                        : pdb.getSpec().getSelector().getMatchLabels();
                if (required == null || required.isEmpty()) {
                    unkeyed.computeIfAbsent(namespace, k -> new ArrayList<>()).add(entry);
                } else {
                    Map.Entry<String, String> label = new TreeMap<>(required).firstEntry();
                    keyed.computeIfAbsent(namespace, k -> new HashMap<>())
                            .computeIfAbsent(label.getKey(), k -> new HashMap<>())
                            .computeIfAbsent(label.getValue(), k -> new ArrayList<>())
                            .add(entry);
                }
            }
            keyed.forEach((namespace, byKey) -> {
                if (byKey.size() == 1) {
                    soleKeys.put(namespace, byKey.keySet().iterator().next());
                }
            });
        }

        /** Pods selected and ready pods selected by the budgets of this name; none when no pod was counted. */
        int[] counts(String name) {
            int[] counts = matched.get(name);
            return counts == null ? new int[2] : counts;
        }

        /**
         * Counts the pod in the budgets that select it, noting their numbers in {@link #selected} when {@code select};
         * else only in those without a status, the ones whose allowed disruptions come from the count.
         */
        void count(Pod pod, boolean select) {
            selectedCount = 0;
            if (!select && !anyStatusless) {
                return;
            }
            String namespace = pod.getMetadata().getNamespace();
            Boolean ready = null;
            List<Entry> all = unkeyed.get(namespace);
            if (all != null) {
                for (Entry entry : all) {
                    ready = count(entry, pod, select, ready);
                }
            }
            Map<String, Map<String, List<Entry>>> byLabel = keyed.get(namespace);
            if (byLabel == null || pod.getMetadata().getLabels() == null) {
                return;
            }
            if (byLabel.size() == 1) {
                // The namespace's budgets are keyed by one label (as a rule), of which the pod has one at most.
                String key = soleKeys.get(namespace);
                List<Entry> candidates =
                        byLabel.get(key).get(pod.getMetadata().getLabels().get(key));
                if (candidates != null) {
                    for (Entry entry : candidates) {
                        ready = count(entry, pod, select, ready);
                    }
                }
                return;
            }
            for (Map.Entry<String, String> label : pod.getMetadata().getLabels().entrySet()) {
                Map<String, List<Entry>> byValue = byLabel.get(label.getKey());
                List<Entry> candidates = byValue == null ? null : byValue.get(label.getValue());
                if (candidates != null) {
                    for (Entry entry : candidates) {
                        ready = count(entry, pod, select, ready);
                    }
                }
            }
        }

        /** Counts the pod if the budget counts and selects it; whether the pod is ready, once known. */
        private Boolean count(Entry entry, Pod pod, boolean select, Boolean ready) {
            if ((!select && !entry.statusless())
                    || !LabelSelectors.selects(
                            entry.pdb().getSpec().getSelector(),
                            pod.getMetadata().getLabels())) {
                return ready;
            }
            if (select) {
                if (selectedCount == selected.length) {
                    selected = Arrays.copyOf(selected, selectedCount * 2);
                }
                selected[selectedCount++] = entry.id();
            }
            boolean isReady = ready == null ? isReady(pod) : ready;
            entry.counts()[0]++;
            if (isReady) {
                entry.counts()[1]++;
            }
            return isReady;
        }
    }

    private static int allowed(PodDisruptionBudget pdb, int expected, int healthy) {
        if (pdb.getStatus() != null && pdb.getStatus().getDisruptionsAllowed() != null) {
            return pdb.getStatus().getDisruptionsAllowed();
        }
        var spec = pdb.getSpec();
        int mustStay = expected;
        if (spec.getMinAvailable() != null) {
            mustStay = count(
                    spec.getMinAvailable().getIntVal(), spec.getMinAvailable().getStrVal(), expected);
        } else if (spec.getMaxUnavailable() != null) {
            mustStay = expected
                    - count(
                            spec.getMaxUnavailable().getIntVal(),
                            spec.getMaxUnavailable().getStrVal(),
                            expected);
        }
        return Math.max(0, healthy - mustStay);
    }

    private static int count(Integer value, String text, int of) {
        if (value != null) {
            return value;
        }
        return text.endsWith("%")
                ? (int) Math.ceil(of * Double.parseDouble(text.substring(0, text.length() - 1)) / 100)
                : Integer.parseInt(text.strip());
    }
}
