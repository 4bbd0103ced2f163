package dev.remedy.solver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import ai.timefold.solver.core.config.constructionheuristic.ConstructionHeuristicType;
import ai.timefold.solver.core.config.phase.PhaseConfig;
import ai.timefold.solver.core.config.phase.custom.CustomPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import dev.remedy.benchmark.ClusterGenerator;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.plan.Planner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FirstFitConstructionTest {

    private static final KnowledgeBase KNOWLEDGE_BASE = KnowledgeBase.bundled();
    private static final HardMediumSoftScore ZERO = HardMediumSoftScore.ZERO;
    private static final SolverFactory<RemediationSchedule> FIRST_FIT_CONSTRUCTION =
            factory(new CustomPhaseConfig().withCustomPhaseCommands(new FirstFitConstruction()));
    private static final SolverFactory<RemediationSchedule> TIMEFOLDS_FIRST_FIT = factory(
            new ConstructionHeuristicPhaseConfig().withConstructionHeuristicType(ConstructionHeuristicType.FIRST_FIT));

    /**
     * Generated clusters with a blast radius from one node (most findings left unresolved) to the default, in wave
     * ranges from one wave to many, under the bundled weights and with soft weights of zero (where every start
     * ties and only the order decides).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void placesEveryFindingWhereTimefoldsFirstFitHeuristicWould(long seed) {
        Snapshot snapshot = ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(60, seed))
                .snapshot("seed-" + seed);
        Planner planner = new Planner(KNOWLEDGE_BASE, new TimefoldWavePlanner());
        var findings = planner.findings(snapshot, DerivedFacts.derive(snapshot, Instant.parse("2026-03-01T12:00:00Z")));
        List<ConstraintWeightOverrides<HardMediumSoftScore>> weightings = List.of(
                ConstraintWeights.bundled(),
                ConstraintWeightOverrides.of(Map.of(
                        "Fewer waves", ZERO,
                        "Least invasive remedy", ZERO,
                        "Fewer disrupted pods", ZERO,
                        "Critical findings first", ZERO)));
        for (int maxUnavailable : new int[] {1, 2, 6}) {
            SchedulingProblem problem = Planner.problem(findings, snapshot, maxUnavailable);
            ClusterModel cluster = ClusterModel.of(problem);
            List<RemedyAssignment> assignments = TimefoldWavePlanner.assignments(problem, cluster);
            for (ConstraintWeightOverrides<HardMediumSoftScore> weights : weightings) {
                for (int waveCount : new int[] {1, 3, 12}) {
                    RemediationSchedule problemSchedule =
                            new RemediationSchedule(cluster.limits(), waveCount, assignments, weights);

                    RemediationSchedule constructed =
                            FIRST_FIT_CONSTRUCTION.buildSolver().solve(problemSchedule);
                    RemediationSchedule timefolds =
                            TIMEFOLDS_FIRST_FIT.buildSolver().solve(problemSchedule);

                    assertThat(constructed.getAssignments())
                            .as("blast radius %d, %d waves, %s", maxUnavailable, waveCount, weights)
                            .map(FirstFitConstructionTest::placement)
                            .containsExactlyElementsOf(timefolds.getAssignments().stream()
                                    .map(FirstFitConstructionTest::placement)
                                    .toList());
                    assertThat(constructed.getScore()).isEqualTo(timefolds.getScore());
                }
            }
        }
    }

    /** The alternative and the start wave, which the local search starts from even for an unresolved finding. */
    private static String placement(RemedyAssignment assignment) {
        return assignment + " from wave " + assignment.getStartWave();
    }

    private static SolverFactory<RemediationSchedule> factory(PhaseConfig<?> construction) {
        return SolverFactory.create(new SolverConfig()
                .withSolutionClass(RemediationSchedule.class)
                .withEntityClasses(RemedyAssignment.class)
                .withConstraintProviderClass(RemedyConstraintProvider.class)
                .withEnvironmentMode(EnvironmentMode.NO_ASSERT)
                .withPhases(construction));
    }
}
