package dev.remedy.solver;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.api.solver.phase.PhaseCommand;
import ai.timefold.solver.core.api.solver.phase.PhaseCommandContext;
import ai.timefold.solver.core.preview.api.domain.metamodel.GenuineEntityMetaModel;
import ai.timefold.solver.core.preview.api.domain.metamodel.PlanningVariableMetaModel;
import ai.timefold.solver.core.preview.api.move.Move;
import ai.timefold.solver.core.preview.api.move.builtin.Moves;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 *   <li>A start that would take more nodes out of service in a wave than the blast radius allows breaks a hard
 *       rule whatever else it does, and is not scored: see {@link NodesOut}.
 * </ul>
 */
final class FirstFitConstruction implements PhaseCommand<RemediationSchedule> {

    @Override
    public void changeWorkingSolution(PhaseCommandContext<RemediationSchedule> context) {
        Placements placements = Placements.of(context);
        RemediationSchedule schedule = context.getWorkingSolution();
        int lastWave = 0;
        boolean anyPlaced = false;
        for (RemedyAssignment assignment : schedule.getAssignments()) {
            if (assignment.isPlaced()) {
                lastWave = Math.max(lastWave, assignment.endWave());
                anyPlaced = true;
            }
        }
        NodesOut nodesOut = anyPlaced ? null : NodesOut.of(schedule);
        for (RemedyAssignment assignment : schedule.getAssignments()) {
            if (assignment.getStartWave() != null) {
                continue;
            }
            int lastStart = Math.min(schedule.getWaveCount(), lastWave + 1);
            Move<RemediationSchedule> best = null;
            HardMediumSoftScore bestScore = null;
            for (Alternative alternative : assignment.getAlternatives()) {
                for (int wave = 1; wave <= lastStart; wave++) {
                    if (nodesOut != null && nodesOut.overBlastRadius(alternative, wave)) {
                        continue;
                    }
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
                if (nodesOut != null) {
                    nodesOut.add(assignment);
                }
            }
        }
    }

    /**
     * The nodes out of service in each wave, as the blast radius rule counts them (each distinct {@link NodeLoad}
     * once), so that a start that would take too many out is known to break a hard rule without scoring it: on a
     * large cluster most starts the construction would try fail just so, once the early waves are full.
     *
     * <p>Skipping them leaves the choice as it was only while the working solution breaks no hard rule: then
     * none (which keeps the score's hard part) beats every start that breaks one, so such a start could not have
     * been chosen, and the first start without a hard violation is still found in the same order. The working
     * solution starts with nothing placed (no hard violation) and the construction then only places without one
     * or leaves a finding unresolved, so that holds throughout; hard weights are never negative, so a violated
     * blast radius is never offset. It is kept only when nothing was placed before the construction began and
     * the blast radius is a hard rule (its weight not overridden to none).
     */
    private static final class NodesOut {
        private final int maxUnavailable;
        private final Map<Integer, Set<NodeLoad>> byWave = new HashMap<>();

        private NodesOut(int maxUnavailable) {
            this.maxUnavailable = maxUnavailable;
        }

        /** The empty count; null when the blast radius's weight is overridden to other than a hard one. */
        static NodesOut of(RemediationSchedule schedule) {
            ConstraintWeightOverrides<HardMediumSoftScore> overrides = schedule.getConstraintWeightOverrides();
            HardMediumSoftScore weight = overrides == null ? null : overrides.getConstraintWeight("Blast radius");
            if (weight != null && weight.hardScore() <= 0) {
                return null;
            }
            return new NodesOut(schedule.getLimits().maxUnavailableNodes());
        }

        /** Whether placing the alternative to start in {@code start} takes more nodes out in a wave than allowed. */
        boolean overBlastRadius(Alternative alternative, int start) {
            List<Alternative.NodeOutage> outages = alternative.nodeOutages();
            for (int i = 0; i < outages.size(); i++) {
                Alternative.NodeOutage outage = outages.get(i);
                Set<NodeLoad> out = byWave.getOrDefault(start + outage.offset(), Set.of());
                int count = out.size();
                for (int j = 0; j < outages.size(); j++) {
                    Alternative.NodeOutage other = outages.get(j);
                    // Each of the alternative's nodes out in this wave that is not out already, counted once.
                    if (other.offset() == outage.offset()
                            && !out.contains(other.node())
                            && firstOfNode(outages, j, other)) {
                        count++;
                    }
                }
                if (count > maxUnavailable) {
                    return true;
                }
            }
            return false;
        }

        private static boolean firstOfNode(
                List<Alternative.NodeOutage> outages, int index, Alternative.NodeOutage outage) {
            for (int k = 0; k < index; k++) {
                if (outages.get(k).equals(outage)) {
                    return false;
                }
            }
            return true;
        }

        void add(RemedyAssignment placed) {
            for (Alternative.NodeOutage outage : placed.getAlternative().nodeOutages()) {
                byWave.computeIfAbsent(placed.wave(outage.offset()), w -> new HashSet<>())
                        .add(outage.node());
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
