package dev.remedy.solver;

import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Hand-made alternatives for constraint tests: effects stated directly, not derived from a snapshot. */
final class Alternatives {

    private final String findingId;
    private String remedyId = "remedy";
    private Risk risk = Risk.LOW;
    private int actions = 1;
    private int disruptedPods;
    private final List<Alternative.NodeOutage> nodeOutages = new ArrayList<>();
    private final List<Alternative.Eviction> evictions = new ArrayList<>();
    private final List<Alternative.EtcdOutage> etcd = new ArrayList<>();
    private final List<Alternative.ApiserverOutage> apiservers = new ArrayList<>();
    private final List<Alternative.Touch> touches = new ArrayList<>();
    private final List<Alternative.Link> provides = new ArrayList<>();
    private final List<Alternative.Link> requires = new ArrayList<>();

    private Alternatives(String findingId) {
        this.findingId = findingId;
    }

    static Alternatives of(String findingId) {
        return new Alternatives(findingId);
    }

    Alternatives remedy(String remedyId, Risk risk) {
        this.remedyId = remedyId;
        this.risk = risk;
        return this;
    }

    Alternatives actions(int actions) {
        this.actions = actions;
        return this;
    }

    Alternatives disruptedPods(int pods) {
        this.disruptedPods = pods;
        return this;
    }

    Alternatives nodeDown(int offset, NodeLoad node) {
        nodeOutages.add(new Alternative.NodeOutage(offset, node));
        return this;
    }

    Alternatives evicts(int offset, Budget budget, int pods) {
        evictions.add(new Alternative.Eviction(offset, budget, pods));
        return this;
    }

    Alternatives etcdMemberRemoved(int offset, String member, boolean healthy) {
        etcd.add(new Alternative.EtcdOutage(offset, member, healthy ? 1 : 0, -1));
        return this;
    }

    Alternatives etcdDown(int offset, String member) {
        etcd.add(new Alternative.EtcdOutage(offset, member, 1, 0));
        return this;
    }

    Alternatives apiserverDown(int offset, String node) {
        apiservers.add(new Alternative.ApiserverOutage(offset, node));
        return this;
    }

    Alternatives touches(int offset, String target) {
        touches.add(new Alternative.Touch(offset, target));
        return this;
    }

    Alternatives provides(int offset, String key) {
        provides.add(new Alternative.Link(offset, key));
        return this;
    }

    Alternatives requires(int offset, String key) {
        requires.add(new Alternative.Link(offset, key));
        return this;
    }

    Alternative build() {
        Match.Action action = new Match.Action(ActionType.Manual, null, null, null, null, null, null, risk, "test");
        return new Alternative(
                findingId,
                remedyId,
                risk,
                Collections.nCopies(actions, action),
                disruptedPods,
                nodeOutages,
                evictions,
                etcd,
                apiservers,
                touches,
                provides,
                requires);
    }

    /** The alternative placed with its first action in {@code wave}. */
    RemedyAssignment at(int wave) {
        return at(wave, Severity.WARNING);
    }

    RemedyAssignment at(int wave, Severity severity) {
        Alternative alternative = build();
        return new RemedyAssignment(findingId, severity, List.of(alternative), alternative, wave);
    }
}
