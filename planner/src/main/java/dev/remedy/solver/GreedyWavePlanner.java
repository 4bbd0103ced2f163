package dev.remedy.solver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simplest safe schedule: the preferred alternative of each finding, its actions one wave apart in order,
 * findings side by side. It checks no cluster-wide rule (quorum, budgets, blast radius): the verifier does.
 */
public final class GreedyWavePlanner implements WavePlanner {

    @Override
    public Schedule schedule(SchedulingProblem problem) {
        Map<String, String> chosen = new LinkedHashMap<>();
        List<Schedule.Step> steps = new ArrayList<>();
        for (SchedulingProblem.FindingOptions finding : problem.findings()) {
            if (finding.options().isEmpty()) {
                continue;
            }
            SchedulingProblem.Option option = finding.options().get(0);
            chosen.put(finding.findingId(), option.remedyId());
            for (int i = 0; i < option.actions().size(); i++) {
                steps.add(new Schedule.Step(
                        finding.findingId(), i, option.actions().get(i), i + 1));
            }
        }
        return new Schedule(chosen, steps);
    }
}
