package dev.remedy.risks;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import java.util.List;

/**
 * The planning solution of the bin-packing solver: the displaced pods of one event set on the remaining nodes.
 * Hard: requests, pod slots, eligibility and anti-affinity; medium: pods left pending; soft: pods moved away
 * from where first-fit-decreasing put them.
 */
@PlanningSolution
public class PodPacking {

    @ProblemFactCollectionProperty
    private List<PackingNode> nodes;

    @ProblemFactCollectionProperty
    private List<AntiAffinityConflict> conflicts;

    @PlanningEntityCollectionProperty
    private List<PodPlacement> placements;

    @PlanningScore
    private HardMediumSoftScore score;

    public PodPacking() {}

    PodPacking(List<PackingNode> nodes, List<AntiAffinityConflict> conflicts, List<PodPlacement> placements) {
        this.nodes = nodes;
        this.conflicts = conflicts;
        this.placements = placements;
    }

    public List<PackingNode> getNodes() {
        return nodes;
    }

    public List<AntiAffinityConflict> getConflicts() {
        return conflicts;
    }

    public List<PodPlacement> getPlacements() {
        return placements;
    }

    public HardMediumSoftScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftScore score) {
        this.score = score;
    }
}
