package dev.remedy.plan;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Re-checks a finished plan against the facts, independently of how it was made (it uses no solver class), and
 * says in sentences what is wrong. The planner refuses to write a plan with a violation. It also explains the
 * plan: for each wave boundary, which rule kept the next wave's actions out of the one before.
 */
public final class PlanVerifier {

    private static final String MANIFESTS = "/etc/kubernetes/manifests/";

    private final int maxUnavailableNodes;

    public PlanVerifier(int maxUnavailableNodes) {
        this.maxUnavailableNodes = maxUnavailableNodes;
    }

    /** Every hard rule the plan breaks, as a sentence; empty when the plan is safe. */
    public List<String> verify(RemediationPlan plan, Snapshot snapshot) {
        return verify(plan, ClusterFacts.of(snapshot, disruptedNodes(plan)));
    }

    /** The same, against facts read beforehand: {@link ClusterFacts#of(Snapshot) of every node}. */
    List<String> verify(RemediationPlan plan, ClusterFacts facts) {
        List<Wave> waves = plan.spec().waves();
        List<String> violations = new ArrayList<>(structure(plan));
        Map<String, Integer> waveOf = waveOf(waves);
        List<PlannedAction> all = new ArrayList<>();
        waves.forEach(w -> all.addAll(w.actions()));
        Map<String, List<PlannedAction>> providers = providers(all, facts);
        for (Wave wave : waves) {
            for (PlannedAction action : wave.actions()) {
                violations.addAll(order(action, wave.index(), waveOf, providers));
            }
        }
        Map<Integer, Set<String>> stillDrained = stillDrained(waves);
        Membership membership = Membership.NONE;
        for (Wave wave : waves) {
            violations.addAll(waveRules(
                    wave.index(),
                    wave.actions(),
                    stillDrained.getOrDefault(wave.index(), Set.of()),
                    membership,
                    facts));
            membership = membership.plus(Membership.changedBy(wave.actions(), facts));
        }
        return violations;
    }

    /**
     * For each wave after the first, the rule that kept one of its actions out of the wave before: the action
     * waits for one there, or joining it would break a rule. "no rule" means the waves could have been merged.
     */
    public List<String> explain(RemediationPlan plan, Snapshot snapshot) {
        ClusterFacts facts = ClusterFacts.of(snapshot, disruptedNodes(plan));
        List<Wave> waves = plan.spec().waves();
        Map<String, Integer> waveOf = waveOf(waves);
        List<PlannedAction> all = new ArrayList<>();
        waves.forEach(w -> all.addAll(w.actions()));
        Map<Integer, Set<String>> stillDrained = stillDrained(waves);
        Map<String, List<PlannedAction>> providers = providers(all, facts);
        List<String> reasons = new ArrayList<>();
        List<Membership> membershipBefore = new ArrayList<>();
        Membership carried = Membership.NONE;
        for (Wave wave : waves) {
            membershipBefore.add(carried);
            carried = carried.plus(Membership.changedBy(wave.actions(), facts));
        }
        for (int i = 1; i < waves.size(); i++) {
            Wave before = waves.get(i - 1);
            Wave wave = waves.get(i);
            String reason = null;
            for (PlannedAction action : wave.actions()) {
                List<String> moved = order(action, before.index(), waveOf, providers);
                if (moved.isEmpty()) {
                    List<PlannedAction> merged = new ArrayList<>(before.actions());
                    merged.add(action);
                    moved = waveRules(
                            before.index(),
                            merged,
                            stillDrained.getOrDefault(before.index(), Set.of()),
                            membershipBefore.get(i - 1),
                            facts);
                }
                if (!moved.isEmpty()) {
                    reason = action.id() + " " + action.type() + " cannot join wave " + before.index() + ": "
                            + moved.get(0);
                    break;
                }
            }
            reasons.add("wave " + wave.index() + " starts a new wave because "
                    + (reason == null ? "of no rule: it could have been merged with wave " + before.index() : reason));
        }
        return reasons;
    }

    /** The nodes the plan's actions take out of service: the only ones whose pods the rules count. */
    private static Set<String> disruptedNodes(RemediationPlan plan) {
        Set<String> nodes = new HashSet<>();
        plan.spec().waves().forEach(w -> w.actions().forEach(a -> {
            if (disruptsNode(a)) {
                nodes.add(a.node());
            }
        }));
        return nodes;
    }

    private static List<String> structure(RemediationPlan plan) {
        List<String> violations = new ArrayList<>();
        int expected = 1;
        Set<String> ids = new LinkedHashSet<>();
        for (Wave wave : plan.spec().waves()) {
            if (wave.index() != expected++) {
                violations.add("wave " + wave.index() + " is out of order: waves are numbered 1, 2, 3 ...");
            }
            if (wave.actions().isEmpty()) {
                violations.add("wave " + wave.index() + " is empty");
            }
            wave.actions().forEach(a -> {
                if (!ids.add(a.id())) {
                    violations.add("action id " + a.id() + " is used twice");
                }
                if (a.type() == ActionType.RestartNodeService
                        && RestartedServices.of(a.change()).isEmpty()) {
                    violations.add("action " + a.id() + " (RestartNodeService) names no services to restart (change."
                            + RestartedServices.FIELD + ")");
                }
            });
        }
        Set<String> resolved = new TreeSet<>();
        plan.spec().waves().forEach(w -> w.actions().forEach(a -> {
            if (a.resolves() != null) {
                resolved.addAll(a.resolves());
            }
        }));
        Set<String> unresolved = new TreeSet<>();
        if (plan.spec().unresolved() != null) {
            plan.spec().unresolved().forEach(u -> unresolved.add(u.finding()));
        }
        for (Finding finding : plan.spec().findings() == null
                ? List.<Finding>of()
                : plan.spec().findings()) {
            boolean chosen = finding.alternatives() != null
                    && finding.alternatives().stream().anyMatch(Finding.Alternative::chosen);
            if (chosen && !resolved.contains(finding.id())) {
                violations.add("finding " + finding.id() + " has a chosen remedy but no action in any wave");
            }
            if (!chosen && !resolved.contains(finding.id()) && !unresolved.contains(finding.id())) {
                violations.add("finding " + finding.id() + " is neither resolved by a wave nor listed as unresolved");
            }
        }
        return violations;
    }

    private static Map<String, Integer> waveOf(List<Wave> waves) {
        Map<String, Integer> waveOf = new HashMap<>();
        waves.forEach(w -> w.actions().forEach(a -> waveOf.put(a.id(), w.index())));
        return waveOf;
    }

    /** The action's `after` entries and its implied prerequisites, checked as if it ran in {@code wave}. */
    private static List<String> order(
            PlannedAction action, int wave, Map<String, Integer> waveOf, Map<String, List<PlannedAction>> providers) {
        List<String> violations = new ArrayList<>();
        for (String before : action.after() == null ? List.<String>of() : action.after()) {
            Integer beforeWave = waveOf.get(before);
            if (beforeWave == null) {
                violations.add("action " + action.id() + " waits for " + before + ", which is not in the plan");
            } else if (beforeWave >= wave) {
                violations.add("action " + action.id() + " in wave " + wave + " must come after " + before
                        + ", which is in wave " + beforeWave);
            }
        }
        for (String need : prerequisites(action)) {
            for (PlannedAction other : providers.getOrDefault(need, List.of())) {
                if (other != action && waveOf.get(other.id()) >= wave) {
                    violations.add("action " + action.id() + " (" + action.type() + ") in wave " + wave
                            + " must come after " + other.id() + " (" + other.type() + ") in wave "
                            + waveOf.get(other.id()) + ": " + REASONS.get(need.substring(0, need.indexOf(' '))));
                }
            }
        }
        return violations;
    }

    private static final Map<String, String> REASONS = Map.of(
            "etcd", "snapshot etcd before changing a member",
            "cni", "pause the unused CNI DaemonSet (no pods left) before moving CNI config files",
            "cordon", "cordon a node before rebooting or upgrading it",
            "drain", "drain a node before rebooting or upgrading it",
            "work", "uncordon a node only after the work on it");

    /** Actions by the prerequisite key they provide. */
    private static Map<String, List<PlannedAction>> providers(Iterable<PlannedAction> all, ClusterFacts facts) {
        Map<String, List<PlannedAction>> providers = new HashMap<>();
        for (PlannedAction action : all) {
            String key = provided(action, facts);
            if (key != null) {
                providers.computeIfAbsent(key, k -> new ArrayList<>()).add(action);
            }
        }
        return providers;
    }

    /** What must have run before the action, as keys {@link #provides} recognises. */
    private static List<String> prerequisites(PlannedAction action) {
        List<String> needs = new ArrayList<>();
        String node = action.node();
        if (action.type() == ActionType.EtcdMemberAdd
                || action.type() == ActionType.EtcdMemberRemove
                || isManifest(action, "etcd")
                        && (action.type() == ActionType.EditNodeFile || action.type() == ActionType.MoveNodeFile)) {
            needs.add("etcd cluster");
        }
        if (action.type() == ActionType.MoveNodeFile
                && action.path() != null
                && action.path().startsWith("/etc/cni/net.d/")) {
            needs.add("cni daemonset");
        }
        if ((action.type() == ActionType.RebootNode || action.type() == ActionType.Manual) && node != null) {
            needs.add("cordon " + node);
            needs.add("drain " + node);
        }
        if (action.type() == ActionType.UncordonNode && node != null) {
            needs.add("work " + node);
        }
        return needs;
    }

    private static String provided(PlannedAction action, ClusterFacts facts) {
        String node = action.node();
        return switch (action.type()) {
            case EtcdSnapshot -> "etcd cluster";
            case ScaleWorkload, PatchResource, DeleteResource ->
                stopsCniDaemonSet(action, facts) ? "cni daemonset" : null;
            case CordonNode -> node == null ? null : "cordon " + node;
            case DrainNode -> node == null ? null : "drain " + node;
            case RebootNode, Manual -> node == null ? null : "work " + node;
            default -> null;
        };
    }

    /**
     * Whether the action leaves a CNI DaemonSet with no pod on any node: deleted, scaled, or patched with a
     * nodeSelector that no node of the facts carries (a pause). Other patches keep its pods, whose installer
     * writes the config file back.
     */
    private static boolean stopsCniDaemonSet(PlannedAction action, ClusterFacts facts) {
        ObjectRef target = action.target();
        if (target == null
                || !"DaemonSet".equals(target.kind())
                || !facts.cniDaemonSets.contains(target.namespace() + "/" + target.name())) {
            return false;
        }
        if (action.type() != ActionType.PatchResource) {
            return true;
        }
        Object selector = action.change() == null ? null : action.change().get("patch");
        for (String field : new String[] {"spec", "template", "spec", "nodeSelector"}) {
            selector = selector instanceof Map<?, ?> map ? map.get(field) : null;
        }
        if (!(selector instanceof Map<?, ?> wanted) || wanted.isEmpty()) {
            return false;
        }
        return facts.nodeLabels.stream().noneMatch(labels -> wanted.entrySet().stream()
                .allMatch(e -> String.valueOf(e.getValue()).equals(labels.get(String.valueOf(e.getKey())))));
    }

    private static boolean isManifest(PlannedAction action, String component) {
        return action.path() != null && action.path().startsWith(MANIFESTS + component);
    }

    /** Nodes drained in an earlier wave and not yet uncordoned, by wave. */
    private static Map<Integer, Set<String>> stillDrained(List<Wave> waves) {
        Map<String, TreeSet<Integer>> uncordoned = new HashMap<>();
        waves.forEach(w -> w.actions().stream()
                .filter(a -> a.type() == ActionType.UncordonNode && a.node() != null)
                .forEach(a -> uncordoned
                        .computeIfAbsent(a.node(), k -> new TreeSet<>())
                        .add(w.index())));
        Map<Integer, Set<String>> result = new HashMap<>();
        for (Wave wave : waves) {
            for (PlannedAction action : wave.actions()) {
                if (action.type() != ActionType.DrainNode || action.node() == null) {
                    continue;
                }
                TreeSet<Integer> backs = uncordoned.get(action.node());
                Integer back = backs == null ? null : backs.higher(wave.index());
                for (int w = wave.index() + 1; back != null && w < back; w++) {
                    result.computeIfAbsent(w, k -> new TreeSet<>()).add(action.node());
                }
            }
        }
        return result;
    }

    /** The rules that hold within one wave: targets, blast radius, budgets, capacity, etcd, apiservers. */
    private List<String> waveRules(
            int wave, List<PlannedAction> actions, Set<String> drained, Membership before, ClusterFacts facts) {
        List<String> violations = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        Set<String> down = new TreeSet<>(drained);
        Set<String> evictedNodes = new TreeSet<>();
        // Nodes whose pods need room elsewhere (drained, rebooted), and nodes only restarting a service, whose
        // pods stay where they are.
        Set<String> displaced = new TreeSet<>(drained);
        Set<String> restartedOnly = new TreeSet<>();
        Set<String> etcdDown = new TreeSet<>();
        int etcdHealthyDown = 0;
        int etcdSizeChange = 0;
        Set<String> apiserversDown = new TreeSet<>();
        for (PlannedAction action : actions) {
            String target = targetKey(action);
            if (target != null && !targets.add(target)) {
                violations.add("wave " + wave + " acts twice on " + target);
            }
            String node = action.node();
            boolean reboot = action.type() == ActionType.RebootNode || restartsContainers(action);
            if (disruptsNode(action)) {
                down.add(node);
                if (action.type() == ActionType.RestartNodeService) {
                    restartedOnly.add(node);
                } else {
                    displaced.add(node);
                }
                if (!drained.contains(node) && (action.type() != ActionType.RestartNodeService || reboot)) {
                    evictedNodes.add(node);
                }
            }
            boolean etcdRestart = reboot || isManifest(action, "etcd") && isFileChange(action);
            EtcdFacts.Member member = node == null ? null : facts.etcdByNode.get(node);
            if (etcdRestart && member != null && etcdDown.add(member.name()) && member.isHealthy()) {
                etcdHealthyDown++;
            }
            if (action.type() == ActionType.EtcdMemberAdd && !Membership.isLearner(action)) {
                etcdSizeChange++;
            }
            if (action.type() == ActionType.EtcdMemberRemove) {
                etcdSizeChange--;
                EtcdFacts.Member removed = Membership.removedMember(action, facts);
                if (removed != null && etcdDown.add(removed.name()) && removed.isHealthy()) {
                    etcdHealthyDown++;
                }
            }
            if ((reboot || isManifest(action, "kube-apiserver") && isFileChange(action))
                    && facts.apiserverNodes.contains(node)) {
                apiserversDown.add(node);
            }
        }
        if (down.size() > maxUnavailableNodes) {
            violations.add(
                    "wave " + wave + " has " + down.size() + " nodes out of service (" + String.join(", ", first(down))
                            + "): at most " + maxUnavailableNodes + " may be unavailable at once");
        }
        // Summed in a hash map (a wave of a large plan evicts from hundreds of budgets); only those over their
        // allowance are sorted, to be reported by name.
        Map<String, Integer> evictions = new HashMap<>();
        for (String node : evictedNodes) {
            facts.movablePods(node).forEachBudget((budget, pods) -> evictions.merge(budget, pods, Integer::sum));
        }
        Map<String, Integer> overBudget = new TreeMap<>();
        evictions.forEach((budget, pods) -> {
            if (pods > facts.budgets.get(budget).allowed()) {
                overBudget.put(budget, pods);
            }
        });
        overBudget.forEach((budget, pods) -> violations.add("wave " + wave + " disrupts " + pods
                + " pods of PodDisruptionBudget " + budget + ", which allows "
                + facts.budgets.get(budget).allowed()
                + " at once"));
        long cpu = 0;
        long memory = 0;
        restartedOnly.removeAll(displaced);
        for (String node : down) {
            if (restartedOnly.contains(node)) {
                continue;
            }
            ClusterFacts.MovablePods movable = facts.movablePods(node);
            cpu += movable.cpuMillis;
            memory += movable.memoryBytes;
            long[] spare = facts.spare(node);
            cpu += spare[0];
            memory += spare[1];
        }
        if (cpu > facts.spareCpuMillis || memory > facts.spareMemoryBytes) {
            violations.add("wave " + wave + " displaces pods from " + String.join(", ", first(down))
                    + " that do not fit, by requests, on the nodes that stay up");
        }
        if (etcdHealthyDown > 0 || etcdSizeChange > 0) {
            int size = facts.etcdMembers + before.sizeChange() + etcdSizeChange;
            int majority = size / 2 + 1;
            int stay = facts.etcdHealthy - before.healthyLost() - etcdHealthyDown;
            boolean single = facts.etcdMembers + before.sizeChange() <= 1 && etcdSizeChange == 0;
            if (!single && stay < majority) {
                List<String> what = new ArrayList<>();
                if (!etcdDown.isEmpty()) {
                    what.add("disrupts etcd member" + (etcdDown.size() == 1 ? " " : "s ")
                            + String.join(" and ", etcdDown));
                }
                if (etcdSizeChange > 0) {
                    // A new voting member counts toward the majority before it has started.
                    what.add("adds a voting etcd member");
                }
                violations.add("wave " + wave + " " + String.join(" and ", what) + ": " + stay + " of " + size
                        + " would stay healthy, a majority needs " + majority);
            }
        }
        if (facts.apiserverNodes.size() > 1 && apiserversDown.size() > 1) {
            violations.add("wave " + wave + " restarts " + apiserversDown.size() + " of " + facts.apiserverNodes.size()
                    + " kube-apiservers (" + String.join(", ", apiserversDown) + "): they are restarted one at a time");
        }
        return violations;
    }

    private static List<String> first(Set<String> names) {
        return names.size() <= 5
                ? List.copyOf(names)
                : List.of(String.join(", ", names.stream().limit(5).toList()) + ", ...");
    }

    private static boolean isFileChange(PlannedAction action) {
        return action.type() == ActionType.EditNodeFile || action.type() == ActionType.MoveNodeFile;
    }

    /** What an action acts on: a node file, an API object, a node, or the etcd cluster; none for a manual step. */
    static String targetKey(PlannedAction action) {
        if (action.path() != null) {
            return "file " + action.node() + ":" + action.path();
        }
        if (action.target() != null) {
            return action.target().toString();
        }
        if (action.type() == ActionType.Manual) {
            return null;
        }
        if (action.node() != null) {
            return "node " + action.node();
        }
        return "etcd cluster";
    }

    /** Whether a service restart restarts the node's containers in place (docker, cri-o; not containerd). */
    static boolean restartsContainers(PlannedAction action) {
        if (action.type() != ActionType.RestartNodeService) {
            return false;
        }
        return RestartedServices.restartContainers(action.change());
    }

    /** Whether an action takes its node out of service while it runs. */
    static boolean disruptsNode(PlannedAction action) {
        return switch (action.type()) {
            case DrainNode, RebootNode, RestartNodeService -> action.node() != null;
            default -> false;
        };
    }

    /**
     * What earlier waves changed in etcd's membership for good: members added (healthy from the next wave on:
     * apply pauses at every member change until a person has confirmed the new member healthy) and members
     * removed. A restart lasts only its own wave.
     */
    record Membership(int sizeChange, int healthyLost) {

        static final Membership NONE = new Membership(0, 0);

        Membership plus(Membership other) {
            return new Membership(sizeChange + other.sizeChange, healthyLost + other.healthyLost);
        }

        static Membership changedBy(List<PlannedAction> actions, ClusterFacts facts) {
            int size = 0;
            int lost = 0;
            for (PlannedAction action : actions) {
                if (action.type() == ActionType.EtcdMemberAdd && !isLearner(action)) {
                    size++;
                    lost--;
                }
                if (action.type() == ActionType.EtcdMemberRemove) {
                    size--;
                    EtcdFacts.Member removed = removedMember(action, facts);
                    if (removed != null && removed.isHealthy()) {
                        lost++;
                    }
                }
            }
            return new Membership(size, lost);
        }

        /** A learner does not vote until promoted, so adding one does not change the majority. */
        static boolean isLearner(PlannedAction action) {
            return action.change() != null
                    && Boolean.TRUE.equals(action.change().get("learner"));
        }

        /** The member an EtcdMemberRemove names: by {@code change.member}, else the one on its node. */
        static EtcdFacts.Member removedMember(PlannedAction action, ClusterFacts facts) {
            if (action.change() != null && action.change().get("member") != null) {
                return facts.etcdByName.get(action.change().get("member").toString());
            }
            return action.node() == null ? null : facts.etcdByNode.get(action.node());
        }
    }
}
