package dev.remedy.solver;

import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.api.solver.phase.PhaseCommand;
import ai.timefold.solver.core.api.solver.phase.PhaseCommandContext;
import ai.timefold.solver.core.preview.api.domain.metamodel.GenuineEntityMetaModel;
import ai.timefold.solver.core.preview.api.domain.metamodel.PlanningVariableMetaModel;
import ai.timefold.solver.core.preview.api.move.Move;
import ai.timefold.solver.core.preview.api.move.builtin.Moves;

/**
 * The first-fit construction: each unplaced finding in list order gets the best of its placements (an alternative,
 * or none, and a start wave), the first of equally good ones, as Timefold's first-fit construction heuristic
 * chooses (none first, then the alternatives in order, each in waves 1 up), but without scoring the placements
 * that cannot be chosen, which on a large cluster are most of them:
 *
 * <ul>
 *   <li>A start after every placed action scores the same in hard and medium terms wherever it lies (no wave it
 *       touches holds another finding's action, and etcd membership changes reach every later wave alike) and no
 *       better in soft (its last wave, and a provider left behind its consumers, only get later): only the first
 *       such start is scored.
 *   <li>Once a start places an alternative without any hard violation, no later start of it scores better: hard
 *       and medium cannot, and every soft penalty that depends on the wave only grows (weights are never
 *       negative).
 *   <li>None scores the same in every wave, and never ties with a placement (one finding more or less
 *       unresolved); it is scored, in wave 1, only when every placement scored breaks a hard rule, since only
 *       then can it be better.
 * </ul>
 */
final class FirstFitConstruction implements PhaseCommand<RemediationSchedule> {

    @Override
    public void changeWorkingSolution(PhaseCommandContext<RemediationSchedule> context) {
        Placements placements = Placements.of(context);
        RemediationSchedule schedule = context.getWorkingSolution();
        int lastWave = 0;
        for (RemedyAssignment assignment : schedule.getAssignments()) {
            if (assignment.isPlaced()) {
                lastWave = Math.max(lastWave, assignment.endWave());
            }
        }
        for (RemedyAssignment assignment : schedule.getAssignments()) {
            if (assignment.getStartWave() != null) {
                continue;
            }
            int lastStart = Math.min(schedule.getWaveCount(), lastWave + 1);
            Move<RemediationSchedule> best = null;
            HardMediumSoftScore bestScore = null;
            for (Alternative alternative : assignment.getAlternatives()) {
                for (int wave = 1; wave <= lastStart; wave++) {
                    Move<RemediationSchedule> move = placements.of(assignment, alternative, wave);
                    HardMediumSoftScore score = context.executeTemporarilyAndCalculateScore(move);
                    if (bestScore == null || score.compareTo(bestScore) > 0) {
                        best = move;
                        bestScore = score;
                    }
                    if (score.hardScore() == 0) {
                        break;
                    }
                }
            }
            if (bestScore == null || bestScore.hardScore() != 0) {
                Move<RemediationSchedule> none = placements.of(assignment, null, 1);
                HardMediumSoftScore score = context.executeTemporarilyAndCalculateScore(none);
                if (bestScore == null || score.compareTo(bestScore) > 0) {
                    best = none;
                }
            }
            context.execute(best);
            if (assignment.isPlaced()) {
                lastWave = Math.max(lastWave, assignment.endWave());
            }
        }
    }

    /** Moves that set both planning variables of an assignment. */
    private record Placements(
            PlanningVariableMetaModel<RemediationSchedule, RemedyAssignment, Alternative> alternative,
            PlanningVariableMetaModel<RemediationSchedule, RemedyAssignment, Integer> startWave) {

        static Placements of(PhaseCommandContext<RemediationSchedule> context) {
            GenuineEntityMetaModel<RemediationSchedule, RemedyAssignment> entity =
                    context.getSolutionMetaModel().genuineEntity(RemedyAssignment.class);
            return new Placements(
                    entity.basicVariable("alternative", Alternative.class),
                    entity.basicVariable("startWave", Integer.class));
        }

        Move<RemediationSchedule> of(RemedyAssignment assignment, Alternative chosen, int wave) {
            return Moves.compose(
                    Moves.change(alternative, assignment, chosen), Moves.change(startWave, assignment, wave));
        }
    }
}
