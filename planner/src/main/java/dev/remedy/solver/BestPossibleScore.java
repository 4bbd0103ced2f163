package dev.remedy.solver;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import java.util.List;

/**
 * A score no plan of these findings can beat, computed from the alternatives alone: no hard violation, every
 * finding resolved, and each soft rule at its own best (each finding's cheapest alternative ending as early as
 * its own chain allows, the last wave no earlier than the longest of those). A plan that reaches it is
 * optimal, so the local search has nothing left to find and the solver stops there.
 */
final class BestPossibleScore {

    private BestPossibleScore() {}

    static HardMediumSoftScore of(
            List<RemedyAssignment> assignments, ConstraintWeightOverrides<HardMediumSoftScore> weights) {
        long risk = weight(weights, "Least invasive remedy");
        long pods = weight(weights, "Fewer disrupted pods");
        long urgency = weight(weights, "Critical findings first");
        long penalty = 0;
        int lastWave = 0;
        for (RemedyAssignment assignment : assignments) {
            long cheapest = Long.MAX_VALUE;
            int shortest = Integer.MAX_VALUE;
            for (Alternative alternative : assignment.getAlternatives()) {
                cheapest = Math.min(
                        cheapest,
                        risk * alternative.risk().weight()
                                + pods * alternative.disruptedPods()
                                + urgency
                                        * RemedyConstraintProvider.urgency(assignment.getSeverity())
                                        * alternative.actionCount());
                shortest = Math.min(shortest, alternative.actionCount());
            }
            penalty += cheapest;
            lastWave = Math.max(lastWave, shortest);
        }
        penalty += weight(weights, "Fewer waves") * lastWave;
        return HardMediumSoftScore.of(0, 0, -penalty);
    }

    /** The configured soft weight of a constraint; one soft when none is configured, as the constraint declares. */
    private static long weight(ConstraintWeightOverrides<HardMediumSoftScore> weights, String constraint) {
        HardMediumSoftScore weight = weights.getConstraintWeight(constraint);
        return weight == null ? 1 : weight.softScore();
    }
}
