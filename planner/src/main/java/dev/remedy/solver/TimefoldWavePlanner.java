package dev.remedy.solver;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchType;
import ai.timefold.solver.core.config.phase.custom.CustomPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import dev.remedy.Background;
import dev.remedy.facts.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses and orders remedies with Timefold: a first-fit construction places findings one by one (those
 * that others depend on first), then late acceptance improves the plan for a fixed number of steps, unless the
 * plan already has the {@link BestPossibleScore best possible score}. Same input, same plan: fixed seed, step,
 * move-count and best-score limits only, entities in input order.
 */
public final class TimefoldWavePlanner implements WavePlanner {

    public static final long RANDOM_SEED = 20181204L;
    public static final int STEP_COUNT_LIMIT = 3000;
    public static final int UNIMPROVED_STEP_COUNT_LIMIT = 500;
    /**
     * Moves local search may evaluate per finding, at most {@link #MAX_LOCAL_SEARCH_MOVES}: this bounds a step
     * that finds no acceptable move (an optimal plan has none), which step limits alone cannot end.
     */
    public static final int LOCAL_SEARCH_MOVES_PER_FINDING = 50;

    /**
     * On every example, fixture and generated cluster so far the local search has not improved on the
     * construction; beyond 50 findings (where it samples a small part of a large neighbourhood at random) more
     * moves cost time without a plan to show for it.
     */
    public static final int MAX_LOCAL_SEARCH_MOVES = 2_500;

    private final SolverFactory<RemediationSchedule> solverFactory;
    private final ConstraintWeightOverrides<HardMediumSoftScore> weights;

    public TimefoldWavePlanner() {
        this(ConstraintWeights.bundled());
    }

    public TimefoldWavePlanner(ConstraintWeightOverrides<HardMediumSoftScore> weights) {
        this.weights = weights;
        this.solverFactory = SolverFactory.create(solverConfig());
    }

    /** The solver configuration: reproducible, terminated by step counts, never by wall clock. */
    public static SolverConfig solverConfig() {
        return new SolverConfig()
                .withSolutionClass(RemediationSchedule.class)
                .withEntityClasses(RemedyAssignment.class)
                .withConstraintProviderClass(RemedyConstraintProvider.class)
                .withEnvironmentMode(EnvironmentMode.NO_ASSERT)
                .withRandomSeed(RANDOM_SEED)
                .withMoveThreadCount("NONE")
                .withPhases(new CustomPhaseConfig().withCustomPhaseCommands(new FirstFitConstruction()), localSearch());
    }

    private static LocalSearchPhaseConfig localSearch() {
        return new LocalSearchPhaseConfig()
                .withLocalSearchType(LocalSearchType.LATE_ACCEPTANCE)
                .withTerminationConfig(new TerminationConfig()
                        .withStepCountLimit(STEP_COUNT_LIMIT)
                        .withUnimprovedStepCountLimit(UNIMPROVED_STEP_COUNT_LIMIT));
    }

    @Override
    public Schedule schedule(SchedulingProblem problem) {
        return schedule(problem, ClusterModel.prepare(problem.snapshot()));
    }

    /** Reads what the cluster model needs of every pod on another thread, while the findings are derived. */
    @Override
    public WavePlanner forSnapshot(Snapshot snapshot) {
        Background<ClusterModel.Prepared> prepared =
                Background.start("solver-cluster-model", () -> ClusterModel.prepare(snapshot));
        return problem -> {
            if (problem.snapshot() != snapshot) {
                throw new IllegalArgumentException(
                        "The problem's snapshot (" + problem.snapshot().fingerprint()
                                + ") is not the one this planner read ahead (" + snapshot.fingerprint()
                                + ").\nMaybe call forSnapshot with the problem's snapshot.");
            }
            return schedule(problem, prepared.join());
        };
    }

    private Schedule schedule(SchedulingProblem problem, ClusterModel.Prepared prepared) {
        ClusterModel cluster = ClusterModel.of(problem, prepared);
        List<RemedyAssignment> assignments = assignments(problem, cluster);
        if (assignments.isEmpty()) {
            return new Schedule(Map.of(), List.of());
        }
        return schedule(solve(assignments, cluster.limits()));
    }

    /** The solved schedule of the findings' assignments: the first wave range that places them without harm. */
    RemediationSchedule solve(List<RemedyAssignment> assignments, ClusterLimits limits) {
        int serial = assignments.stream()
                .mapToInt(a -> a.getAlternatives().stream()
                        .mapToInt(Alternative::actionCount)
                        .max()
                        .orElse(1))
                .sum();
        int waveCount = Math.min(serial, Math.max(2, widestWaves(assignments, limits) * 5 / 4 + 2));
        String bestPossible = BestPossibleScore.of(assignments, weights).toString();
        RemediationSchedule solved = solve(assignments, limits, waveCount, bestPossible);
        while (solved.getScore().hardScore() != 0 && waveCount < serial) {
            // Too few waves to place everything safely: allow more and start again.
            waveCount = Math.min(serial, waveCount * 2);
            solved = solve(assignments, limits, waveCount, bestPossible);
        }
        return solved;
    }

    private RemediationSchedule solve(
            List<RemedyAssignment> assignments, ClusterLimits limits, int waveCount, String bestPossible) {
        return solverFactory
                .buildSolver(new SolverConfigOverride()
                        .withTerminationConfig(new TerminationConfig()
                                .withMoveCountLimit(localSearchMoves(assignments))
                                .withBestScoreLimit(bestPossible)))
                .solve(new RemediationSchedule(limits, waveCount, assignments, weights));
    }

    /**
     * The local search's share of the moves (the construction's moves are not counted): it ends a step that finds
     * no acceptable move, which step limits alone cannot end.
     */
    private static long localSearchMoves(List<RemedyAssignment> assignments) {
        return Math.min(MAX_LOCAL_SEARCH_MOVES, (long) LOCAL_SEARCH_MOVES_PER_FINDING * assignments.size());
    }

    /**
     * One entity per finding with an alternative; those that provide prerequisites come first. Effects no
     * placement can turn into a penalty are left out (after the sort, which reads every prerequisite given).
     */
    static List<RemedyAssignment> assignments(SchedulingProblem problem, ClusterModel cluster) {
        List<RemedyAssignment> assignments = new ArrayList<>();
        for (SchedulingProblem.FindingOptions finding : problem.findings()) {
            if (finding.options().isEmpty()) {
                continue;
            }
            List<Alternative> alternatives = finding.options().stream()
                    .map(o -> ActionEffects.alternative(
                            finding.findingId(), o.remedyId(), o.risk(), o.actions(), cluster))
                    .toList();
            assignments.add(new RemedyAssignment(finding.findingId(), finding.severity(), alternatives));
        }
        assignments.sort(Comparator.comparing((RemedyAssignment a) ->
                a.getAlternatives().stream().allMatch(alt -> alt.provides().isEmpty())));
        return InertEffects.strip(assignments);
    }

    /**
     * The fewest waves the findings could need: the largest of the longest chain, the node outages over the blast
     * radius, and the etcd restarts (one at a time). A first attempt allows a quarter more, and two; too few
     * only costs a second attempt.
     */
    private static int widestWaves(List<RemedyAssignment> assignments, ClusterLimits limits) {
        int longest = 0;
        long nodeOutages = 0;
        long etcdOutages = 0;
        for (RemedyAssignment assignment : assignments) {
            Alternative longestAlternative = assignment.getAlternatives().stream()
                    .max(Comparator.comparingInt(Alternative::actionCount))
                    .orElseThrow();
            longest = Math.max(longest, longestAlternative.actionCount());
            nodeOutages += longestAlternative.nodeOutages().size();
            etcdOutages += longestAlternative.etcdOutages().size();
        }
        long perWave = Math.max(1, limits.maxUnavailableNodes());
        return (int) Math.max(longest + (nodeOutages + perWave - 1) / perWave, Math.max(longest, etcdOutages));
    }

    private static Schedule schedule(RemediationSchedule solved) {
        Map<String, String> chosen = new LinkedHashMap<>();
        Map<String, List<Schedule.StepRef>> providers = new HashMap<>();
        List<RemedyAssignment> placed = new ArrayList<>();
        for (RemedyAssignment assignment : solved.getAssignments()) {
            if (!assignment.isPlaced()) {
                continue;
            }
            placed.add(assignment);
            for (Alternative.Link link : assignment.getAlternative().provides()) {
                providers
                        .computeIfAbsent(link.key(), k -> new ArrayList<>())
                        .add(new Schedule.StepRef(assignment.getFindingId(), link.offset()));
            }
        }
        List<Schedule.Step> steps = new ArrayList<>();
        for (RemedyAssignment assignment : placed) {
            Alternative alternative = assignment.getAlternative();
            chosen.put(assignment.getFindingId(), alternative.remedyId());
            Map<Integer, List<Schedule.StepRef>> after = new HashMap<>();
            for (Alternative.Link link : alternative.requires()) {
                for (Schedule.StepRef provider : providers.getOrDefault(link.key(), List.of())) {
                    if (!provider.findingId().equals(assignment.getFindingId())) {
                        after.computeIfAbsent(link.offset(), o -> new ArrayList<>())
                                .add(provider);
                    }
                }
            }
            for (int i = 0; i < alternative.actionCount(); i++) {
                steps.add(new Schedule.Step(
                        assignment.getFindingId(),
                        i,
                        alternative.actions().get(i),
                        assignment.wave(i),
                        List.copyOf(after.getOrDefault(i, List.of()))));
            }
        }
        return new Schedule(chosen, steps);
    }
}
