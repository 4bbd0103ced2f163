package dev.remedy.solver;

import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simplest safe schedule: the preferred alternative of each finding, its actions in order, findings side by
 * side. An action goes to the first wave after its predecessor where it neither acts on something another action
 * of that wave acts on nor takes one node too many out of service; that is the only cluster-wide rule it knows
 * (quorum and budgets are the verifier's).
 */
public final class GreedyWavePlanner implements WavePlanner {

    @Override
    public Schedule schedule(SchedulingProblem problem) {
        Map<String, String> chosen = new LinkedHashMap<>();
        List<Schedule.Step> steps = new ArrayList<>();
        Map<Integer, Set<String>> targets = new HashMap<>();
        Map<Integer, Set<String>> disrupted = new HashMap<>();
        for (SchedulingProblem.FindingOptions finding : problem.findings()) {
            if (finding.options().isEmpty()) {
                continue;
            }
            SchedulingProblem.Option option = finding.options().get(0);
            chosen.put(finding.findingId(), option.remedyId());
            int wave = 0;
            for (int i = 0; i < option.actions().size(); i++) {
                Match.Action action = option.actions().get(i);
                String target = targetKey(action, finding.findingId(), i);
                wave++;
                while (targets.getOrDefault(wave, Set.of()).contains(target)
                        || overBudget(disrupted.getOrDefault(wave, Set.of()), action, problem.maxUnavailableNodes())) {
                    wave++;
                }
                targets.computeIfAbsent(wave, w -> new HashSet<>()).add(target);
                if (disruptsNode(action)) {
                    disrupted.computeIfAbsent(wave, w -> new HashSet<>()).add(action.node());
                }
                steps.add(new Schedule.Step(finding.findingId(), i, action, wave));
            }
        }
        return new Schedule(chosen, steps);
    }

    private static boolean overBudget(Set<String> disruptedNodes, Match.Action action, int maxUnavailable) {
        return disruptsNode(action)
                && !disruptedNodes.contains(action.node())
                && disruptedNodes.size() >= maxUnavailable;
    }

    /** What an action acts on, as the plan verifier tells targets apart. */
    private static String targetKey(Match.Action action, String findingId, int position) {
        if (action.path() != null) {
            return "file " + action.node() + ":" + action.path();
        }
        if (action.target() != null) {
            return action.target().toString();
        }
        if (action.node() != null) {
            return "node " + action.node();
        }
        return action.type() == ActionType.Manual ? "manual step " + findingId + "#" + position : "etcd cluster";
    }

    private static boolean disruptsNode(Match.Action action) {
        return switch (action.type()) {
            case DrainNode, RebootNode, RestartNodeService -> action.node() != null;
            default -> false;
        };
    }
}
