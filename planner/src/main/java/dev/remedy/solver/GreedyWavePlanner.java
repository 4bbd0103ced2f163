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
 * The simplest safe schedule: the preferred alternative of each finding, its actions one wave apart in order,
 * findings side by side. A finding's chain starts in the first wave from which none of its actions would act
 * on something another action of the same wave acts on, nor take more nodes out of service at once than
 * allowed; quorum and budgets are left to the verifier.
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
            int offset = 0;
            while (!fits(option.actions(), offset, targets, disrupted, problem.maxUnavailableNodes())) {
                offset++;
            }
            for (int i = 0; i < option.actions().size(); i++) {
                Match.Action action = option.actions().get(i);
                int wave = offset + i + 1;
                String target = target(action);
                if (target != null) {
                    targets.computeIfAbsent(wave, w -> new HashSet<>()).add(target);
                }
                if (disrupts(action)) {
                    disrupted.computeIfAbsent(wave, w -> new HashSet<>()).add(action.node());
                }
                steps.add(new Schedule.Step(finding.findingId(), i, action, wave));
            }
        }
        return new Schedule(chosen, steps);
    }

    private static boolean fits(
            List<Match.Action> actions,
            int offset,
            Map<Integer, Set<String>> targets,
            Map<Integer, Set<String>> disrupted,
            int maxUnavailableNodes) {
        for (int i = 0; i < actions.size(); i++) {
            Match.Action action = actions.get(i);
            int wave = offset + i + 1;
            String target = target(action);
            if (target != null && targets.getOrDefault(wave, Set.of()).contains(target)) {
                return false;
            }
            if (disrupts(action)) {
                Set<String> nodes = new HashSet<>(disrupted.getOrDefault(wave, Set.of()));
                nodes.add(action.node());
                if (nodes.size() > maxUnavailableNodes) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String target(Match.Action action) {
        if (action.path() != null) {
            return "file " + action.node() + ":" + action.path();
        }
        if (action.target() != null) {
            return action.target().toString();
        }
        if (action.node() != null) {
            return "node " + action.node();
        }
        // A manual step that names nothing conflicts with nothing.
        return action.type() == ActionType.Manual ? null : "etcd cluster";
    }

    private static boolean disrupts(Match.Action action) {
        return switch (action.type()) {
            case DrainNode, RebootNode, RestartNodeService -> action.node() != null;
            default -> false;
        };
    }
}
