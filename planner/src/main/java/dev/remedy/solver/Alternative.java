package dev.remedy.solver;

import dev.remedy.knowledge.Match;
import dev.remedy.plan.Risk;
import java.util.List;

/**
 * One way to resolve a finding: its actions, to run one wave apart in order, and what each of them does to the
 * cluster, by offset from the first action's wave. Built once by {@link ActionEffects}.
 */
public record Alternative(
        String findingId,
        String remedyId,
        Risk risk,
        List<Match.Action> actions,
        int disruptedPods,
        List<NodeOutage> nodeOutages,
        List<Eviction> evictions,
        List<EtcdOutage> etcdOutages,
        List<ApiserverOutage> apiserverOutages,
        List<Touch> touches,
        List<Link> provides,
        List<Link> requires) {

    public int actionCount() {
        return actions.size();
    }

    /**
     * The finding and remedy ids alone, which tell a finding's alternatives apart: the solver hashes planning
     * values on every move, and the record's own hash would walk every action's change map each time.
     */
    @Override
    public int hashCode() {
        return 31 * findingId.hashCode() + remedyId.hashCode();
    }

    /** A node out of service in a wave: drained, rebooting, or drained earlier and not yet uncordoned. */
    public record NodeOutage(int offset, NodeLoad node) {}

    /** Pods of one budget that an action evicts or restarts. */
    public record Eviction(int offset, Budget budget, int pods) {}

    /**
     * An action on the etcd cluster: {@code healthyLost} healthy members down while it runs, and the change in
     * membership it makes (+1 add, -1 remove).
     */
    public record EtcdOutage(int offset, String member, int healthyLost, int sizeChange) {}

    /** A kube-apiserver instance restarted or stopped. */
    public record ApiserverOutage(int offset, String node) {}

    /** What an action acts on (an object, a node, a node file, the etcd cluster). */
    public record Touch(int offset, String target) {}

    /** A prerequisite an action provides to, or requires from, actions of other findings. */
    public record Link(int offset, String key) {}
}
