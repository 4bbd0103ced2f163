package dev.remedy.solver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestPossibleScoreTest {

    @Test
    void takesEachFindingsCheapestAlternativeAtItsEarliestAndTheLongestChainAsTheLastWave() {
        RemedyAssignment critical = new RemedyAssignment(
                "F1",
                Severity.CRITICAL,
                List.of(
                        Alternatives.of("F1").remedy("reboot", Risk.HIGH).build(),
                        Alternatives.of("F1").remedy("relax-probe", Risk.LOW).build()));
        RemedyAssignment warning = new RemedyAssignment(
                "F2",
                Severity.WARNING,
                List.of(Alternatives.of("F2")
                        .remedy("drain", Risk.MEDIUM)
                        .actions(3)
                        .disruptedPods(5)
                        .build()));

        // Weights of constraint-weights.yaml: risk 10,000, waves 1,000, urgency 10, pods 1.
        assertThat(BestPossibleScore.of(List.of(critical, warning), ConstraintWeights.bundled()))
                .isEqualTo(HardMediumSoftScore.of(
                        0, 0, -(10_000 * 1 + 10 * 4 * 1) - (10_000 * 3 + 5 + 10 * 2 * 3) - 1_000 * 3));
    }

    @Test
    void isReachedByAPlanThatRunsEveryFindingAtOnce() {
        TimefoldWavePlanner planner = new TimefoldWavePlanner();
        ClusterLimits limits = new ClusterLimits(2, 0, 0, 0, 10_000, 10_000);
        List<RemedyAssignment> assignments = List.of(
                new RemedyAssignment(
                        "F1",
                        Severity.CRITICAL,
                        List.of(
                                Alternatives.of("F1")
                                        .remedy("reboot", Risk.HIGH)
                                        .build(),
                                Alternatives.of("F1")
                                        .remedy("relax-probe", Risk.LOW)
                                        .build())),
                new RemedyAssignment(
                        "F2",
                        Severity.WARNING,
                        List.of(Alternatives.of("F2")
                                .remedy("drain", Risk.MEDIUM)
                                .actions(2)
                                .nodeDown(0, new NodeLoad("n1", 1, 1))
                                .build())));

        RemediationSchedule solved = planner.solve(assignments, limits);

        assertThat(solved.getScore()).isEqualTo(BestPossibleScore.of(assignments, ConstraintWeights.bundled()));
        assertThat(solved.getAssignments())
                .extracting(RemedyAssignment::getStartWave)
                .containsOnly(1);
    }

    @Test
    void isNotReachedWhenSafetyKeepsFindingsApart() {
        TimefoldWavePlanner planner = new TimefoldWavePlanner();
        ClusterLimits limits = new ClusterLimits(1, 0, 0, 0, 10_000, 10_000);
        List<RemedyAssignment> assignments = List.of(
                new RemedyAssignment(
                        "F1",
                        Severity.WARNING,
                        List.of(Alternatives.of("F1")
                                .nodeDown(0, new NodeLoad("n1", 1, 1))
                                .build())),
                new RemedyAssignment(
                        "F2",
                        Severity.WARNING,
                        List.of(Alternatives.of("F2")
                                .nodeDown(0, new NodeLoad("n2", 1, 1))
                                .build())));

        RemediationSchedule solved = planner.solve(assignments, limits);

        assertThat(solved.getScore()).isLessThan(BestPossibleScore.of(assignments, ConstraintWeights.bundled()));
        assertThat(solved.getAssignments())
                .extracting(RemedyAssignment::getStartWave)
                .containsExactlyInAnyOrder(1, 2);
    }
}
