package dev.remedy.solver;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.RestartedServices;
import dev.remedy.plan.Risk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place that says what an action does to the cluster while it runs: which nodes it takes out of
 * service and which pods it evicts, which etcd member and kube-apiserver it restarts, what it acts on, and
 * which actions of other findings must run before it. (The plan verifier derives the same independently.)
 */
public final class ActionEffects {

    static final String MANIFESTS = "/etc/kubernetes/manifests/";
    static final String CNI_CONFIG = "/etc/cni/net.d/";

    /** Provided by an action that leaves a CNI DaemonSet without pods; a CNI config file moves only after it. */
    static final String CNI_DAEMONSET_PAUSED = "CNI DaemonSet paused";

    private static final List<String> BOTH_COMPONENTS = List.of("etcd", "kube-apiserver");

    private ActionEffects() {}

    /** The alternative {@code remedyId} of finding {@code findingId}, its actions' effects by wave offset. */
    public static Alternative alternative(
            String findingId, String remedyId, Risk risk, List<Match.Action> actions, ClusterModel cluster) {
        List<Alternative.NodeOutage> nodeOutages = new ArrayList<>();
        List<Alternative.Eviction> evictions = new ArrayList<>();
        List<Alternative.EtcdOutage> etcd = new ArrayList<>();
        List<Alternative.ApiserverOutage> apiservers = new ArrayList<>();
        List<Alternative.Touch> touches = new ArrayList<>();
        List<Alternative.Link> provides = new ArrayList<>();
        List<Alternative.Link> requires = new ArrayList<>();
        // Nodes this alternative drained and has not uncordoned yet: a reboot or runtime restart there finds
        // only the pods that stay on a drained node.
        Set<String> drained = new HashSet<>();
        int disruptedPods = 0;
        for (int offset = 0; offset < actions.size(); offset++) {
            Match.Action action = actions.get(offset);
            String node = action.node();
            ClusterModel.NodeModel model = node == null ? null : cluster.node(node);
            if (disruptsNode(action.type()) && model != null) {
                int back = uncordonOffset(actions, offset, node);
                // A service restart keeps the pods where they are: the node is out of service for the wave, but
                // nothing needs room elsewhere.
                NodeLoad load = action.type() == ActionType.RestartNodeService
                        ? new NodeLoad(model.load().name(), 0, 0)
                        : model.load();
                for (int o = offset; o < back; o++) {
                    if (!outOfService(nodeOutages, o, node)) {
                        nodeOutages.add(new Alternative.NodeOutage(o, load));
                    }
                }
                if (restartsPods(action) && !drained.contains(node)) {
                    disruptedPods += model.evictablePods();
                    for (Map.Entry<Budget, Integer> budget : model.budgetPods().entrySet()) {
                        evictions.add(new Alternative.Eviction(offset, budget.getKey(), budget.getValue()));
                    }
                }
            }
            if (action.type() == ActionType.DrainNode && node != null) {
                drained.add(node);
            } else if (action.type() == ActionType.UncordonNode && node != null) {
                drained.remove(node);
            }
            for (String restarted : restartedComponents(action)) {
                if (restarted.equals("etcd")) {
                    EtcdFacts.Member member = cluster.etcdMemberOn(node);
                    if (member != null) {
                        etcd.add(new Alternative.EtcdOutage(offset, member.name(), member.isHealthy() ? 1 : 0, 0));
                    }
                } else if (cluster.runsApiserver(node)) {
                    apiservers.add(new Alternative.ApiserverOutage(offset, node));
                }
            }
            // A learner does not vote until it is promoted, so adding one leaves the quorum as it was.
            if (action.type() == ActionType.EtcdMemberAdd && !isLearner(action)) {
                etcd.add(new Alternative.EtcdOutage(offset, "new member", 0, 1));
            }
            if (action.type() == ActionType.EtcdMemberRemove) {
                EtcdFacts.Member member = node != null
                        ? cluster.etcdMemberOn(node)
                        : action.change() != null && action.change().get("member") != null
                                ? cluster.etcdMember(
                                        action.change().get("member").toString())
                                : null;
                etcd.add(new Alternative.EtcdOutage(
                        offset,
                        member == null ? "removed member" : member.name(),
                        member != null && member.isHealthy() ? 1 : 0,
                        -1));
            }
            String target = target(action);
            if (target != null) {
                touches.add(new Alternative.Touch(offset, target));
            }
            for (String key : provides(action, cluster)) {
                provides.add(new Alternative.Link(offset, key));
            }
            for (String key : requires(action)) {
                requires.add(new Alternative.Link(offset, key));
            }
        }
        return new Alternative(
                findingId,
                remedyId,
                risk,
                List.copyOf(actions),
                disruptedPods,
                nodeOutages,
                evictions,
                etcd,
                apiservers,
                touches,
                provides,
                requires);
    }

    /** Whether the outages already take {@code node} out of service at {@code offset} (an alternative has few). */
    private static boolean outOfService(List<Alternative.NodeOutage> outages, int offset, String node) {
        for (Alternative.NodeOutage outage : outages) {
            if (outage.offset() == offset && outage.node().name().equals(node)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an action stops the node's containers: a drain or reboot does, and so does a restart of any
     * service that {@link RestartedServices#restartContainers restarts the node's containers}.
     */
    static boolean restartsPods(Match.Action action) {
        if (action.type() != ActionType.RestartNodeService) {
            return disruptsNode(action.type());
        }
        return RestartedServices.restartContainers(action.change());
    }

    static boolean disruptsNode(ActionType type) {
        return type == ActionType.DrainNode || type == ActionType.RebootNode || type == ActionType.RestartNodeService;
    }

    /** A drained node stays out of service until the same alternative uncordons it; else for its own wave. */
    private static int uncordonOffset(List<Match.Action> actions, int from, String node) {
        if (actions.get(from).type() != ActionType.DrainNode) {
            return from + 1;
        }
        for (int o = from + 1; o < actions.size(); o++) {
            if (actions.get(o).type() == ActionType.UncordonNode
                    && node.equals(actions.get(o).node())) {
                return o;
            }
        }
        return from + 1;
    }

    /** The static-pod components an action restarts or stops: "etcd" and/or "kube-apiserver". */
    static List<String> restartedComponents(Match.Action action) {
        if (action.node() == null) {
            return List.of();
        }
        return switch (action.type()) {
            case RebootNode -> BOTH_COMPONENTS;
            case RestartNodeService -> restartsPods(action) ? BOTH_COMPONENTS : List.of();
            case EditNodeFile, MoveNodeFile -> {
                String file = manifestFile(action.path());
                if (file != null && file.startsWith("etcd")) {
                    yield List.of("etcd");
                } else if (file != null && file.startsWith("kube-apiserver")) {
                    yield List.of("kube-apiserver");
                }
                yield List.of();
            }
            default -> List.of();
        };
    }

    private static String manifestFile(String path) {
        return path != null && path.startsWith(MANIFESTS) ? path.substring(MANIFESTS.length()) : null;
    }

    /** What an action acts on; none for a person's manual step without a file or object. */
    static String target(Match.Action action) {
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

    private static boolean changesEtcd(Match.Action action) {
        return action.type() == ActionType.EtcdMemberAdd
                || action.type() == ActionType.EtcdMemberRemove
                || (action.type() == ActionType.EditNodeFile || action.type() == ActionType.MoveNodeFile)
                        && restartedComponents(action).contains("etcd");
    }

    static List<String> provides(Match.Action action, ClusterModel cluster) {
        String node = action.node();
        return switch (action.type()) {
            case EtcdSnapshot -> List.of("etcd snapshot");
            case ScaleWorkload, PatchResource, DeleteResource ->
                pausesCniDaemonSet(action, cluster) ? List.of(CNI_DAEMONSET_PAUSED) : List.of();
            case CordonNode -> node == null ? List.of() : List.of("cordoned " + node);
            case DrainNode -> node == null ? List.of() : List.of("drained " + node);
            case RebootNode, Manual -> node == null ? List.of() : List.of("node work on " + node);
            default -> List.of();
        };
    }

    /**
     * Whether the action leaves a CNI DaemonSet without pods, so that its installer no longer writes its config
     * into /etc/cni/net.d: a patch that gives it a nodeSelector no node carries (DaemonSets cannot be scaled, this
     * is how competing-cni-daemonsets pauses one), deleting it, or scaling it. Any other patch of it, such as a new
     * image, restarts its pods, which write their config again.
     */
    static boolean pausesCniDaemonSet(Match.Action action, ClusterModel cluster) {
        ObjectRef target = action.target();
        if (target == null
                || !"DaemonSet".equals(target.kind())
                || !cluster.isCniDaemonSet(target.namespace(), target.name())) {
            return false;
        }
        if (action.type() != ActionType.PatchResource) {
            return true;
        }
        Map<String, String> selector = nodeSelector(action.change());
        return !selector.isEmpty() && !cluster.anyNodeCarries(selector);
    }

    /** The pod template's nodeSelector a patch sets; empty when it sets none. */
    private static Map<String, String> nodeSelector(Map<String, Object> change) {
        Object value = change == null ? null : change.get("patch");
        for (String field : List.of("spec", "template", "spec", "nodeSelector")) {
            value = value instanceof Map<?, ?> map ? map.get(field) : null;
        }
        Map<String, String> selector = new TreeMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> selector.put(String.valueOf(k), String.valueOf(v)));
        }
        return selector;
    }

    static List<String> requires(Match.Action action) {
        String node = action.node();
        List<String> keys = new ArrayList<>();
        if (changesEtcd(action)) {
            keys.add("etcd snapshot");
        }
        if (action.type() == ActionType.MoveNodeFile
                && action.path() != null
                && action.path().startsWith(CNI_CONFIG)) {
            keys.add(CNI_DAEMONSET_PAUSED);
        }
        if ((action.type() == ActionType.RebootNode || action.type() == ActionType.Manual) && node != null) {
            keys.add("cordoned " + node);
            keys.add("drained " + node);
        }
        if (action.type() == ActionType.UncordonNode && node != null) {
            keys.add("node work on " + node);
        }
        return keys;
    }

    private static boolean isLearner(Match.Action action) {
        return action.change() != null && Boolean.TRUE.equals(action.change().get("learner"));
    }
}
