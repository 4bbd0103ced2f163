package dev.remedy.solver;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRange;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeFactory;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import java.util.List;

/**
 * The planning solution: one {@link RemedyAssignment} per finding, the cluster's limits, and waves numbered
 * 1 to {@code waveCount}. Hard: safety; medium: findings left unresolved; soft: fewer waves, less risk.
 */
@PlanningSolution
public class RemediationSchedule {

    @ProblemFactProperty
    private ClusterLimits limits;

    private int waveCount;

    @PlanningEntityCollectionProperty
    private List<RemedyAssignment> assignments;

    private ConstraintWeightOverrides<HardMediumSoftScore> constraintWeightOverrides;

    @PlanningScore
    private HardMediumSoftScore score;

    public RemediationSchedule() {}

    public RemediationSchedule(
            ClusterLimits limits,
            int waveCount,
            List<RemedyAssignment> assignments,
            ConstraintWeightOverrides<HardMediumSoftScore> constraintWeightOverrides) {
        this.limits = limits;
        this.waveCount = waveCount;
        this.assignments = assignments;
        this.constraintWeightOverrides = constraintWeightOverrides;
    }

    @ValueRangeProvider(id = "waves")
    public ValueRange<Integer> getWaves() {
        return ValueRangeFactory.createIntValueRange(1, waveCount + 1);
    }

    public ClusterLimits getLimits() {
        return limits;
    }

    public int getWaveCount() {
        return waveCount;
    }

    public List<RemedyAssignment> getAssignments() {
        return assignments;
    }

    public ConstraintWeightOverrides<HardMediumSoftScore> getConstraintWeightOverrides() {
        return constraintWeightOverrides;
    }

    public void setConstraintWeightOverrides(ConstraintWeightOverrides<HardMediumSoftScore> overrides) {
        this.constraintWeightOverrides = overrides;
    }

    public HardMediumSoftScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftScore score) {
        this.score = score;
    }
}
