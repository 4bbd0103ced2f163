package dev.remedy.plan;

import dev.remedy.facts.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-checks a finished plan against the facts, independently of how it was made (it uses no solver class), and
 * says in sentences what is wrong. The planner refuses to write a plan with a violation.
 */
public final class PlanVerifier {

    private final int maxUnavailableNodes;

    public PlanVerifier(int maxUnavailableNodes) {
        this.maxUnavailableNodes = maxUnavailableNodes;
    }

    /** Every hard rule the plan breaks, as a sentence; empty when the plan is safe. */
    public List<String> verify(RemediationPlan plan, Snapshot snapshot) {
        List<String> violations = new ArrayList<>();
        Map<String, Integer> waveOf = new HashMap<>();
        int expectedIndex = 1;
        for (Wave wave : plan.spec().waves()) {
            if (wave.index() != expectedIndex++) {
                violations.add("wave " + wave.index() + " is out of order: waves are numbered 1, 2, 3 ...");
            }
            if (wave.actions().isEmpty()) {
                violations.add("wave " + wave.index() + " is empty");
            }
            for (PlannedAction action : wave.actions()) {
                waveOf.put(action.id(), wave.index());
            }
        }
        for (Wave wave : plan.spec().waves()) {
            Set<String> targets = new HashSet<>();
            Set<String> disruptedNodes = new HashSet<>();
            for (PlannedAction action : wave.actions()) {
                for (String before : action.after() == null ? List.<String>of() : action.after()) {
                    Integer beforeWave = waveOf.get(before);
                    if (beforeWave == null) {
                        violations.add("action " + action.id() + " waits for " + before + ", which is not in the plan");
                    } else if (beforeWave >= wave.index()) {
                        violations.add("action " + action.id() + " in wave " + wave.index() + " must come after "
                                + before + ", which is in wave " + beforeWave);
                    }
                }
                String target = targetKey(action);
                if (!targets.add(target)) {
                    violations.add("wave " + wave.index() + " acts twice on " + target);
                }
                if (disruptsNode(action)) {
                    disruptedNodes.add(action.node());
                }
            }
            if (disruptedNodes.size() > maxUnavailableNodes) {
                violations.add("wave " + wave.index() + " disrupts " + disruptedNodes.size() + " nodes ("
                        + String.join(", ", disruptedNodes.stream().sorted().toList()) + "): at most "
                        + maxUnavailableNodes + " may be unavailable at once");
            }
        }
        return violations;
    }

    /** What an action acts on: a node file, a node, an API object, or the etcd cluster. */
    static String targetKey(PlannedAction action) {
        if (action.path() != null) {
            return "file " + action.node() + ":" + action.path();
        }
        if (action.target() != null) {
            return action.target().toString();
        }
        if (action.node() != null) {
            return "node " + action.node();
        }
        return action.type() == ActionType.Manual ? "manual step " + action.id() : "etcd cluster";
    }

    /** Whether an action takes its node out of service while it runs. */
    static boolean disruptsNode(PlannedAction action) {
        return switch (action.type()) {
            case DrainNode, RebootNode, RestartNodeService -> action.node() != null;
            default -> false;
        };
    }
}
