package dev.remedy.risks;

import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import ai.timefold.solver.core.config.constructionheuristic.ConstructionHeuristicType;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchType;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Re-places the displaced pods of one event set with Timefold when first-fit-decreasing left some pending and
 * {@link PackingProver} could neither prove that nor decide it exhaustively. It starts from first-fit's
 * placement, so it can only place more; it stops as soon as nothing is pending, or after a fixed number of
 * steps and moves. Tabu search, because a pod moved away from first-fit's node costs a little (soft) and an
 * acceptor that only takes moves as good as recent ones would never leave first-fit's packing. Same input, same answer: fixed seed, step and move limits, never wall clock.
 */
final class BinPackingSolver {

    static final long RANDOM_SEED = 20181204L;
    static final int STEP_COUNT_LIMIT = 200;
    static final int UNIMPROVED_STEP_COUNT_LIMIT = 50;
    /**
     * Moves evaluated per displaced pod, at most {@link #MAX_MOVES}: a tabu step evaluates a thousand, and this
     * bounds the solve on large event sets where step limits alone would not.
     */
    static final int MOVES_PER_POD = 2000;

    static final int MAX_MOVES = 100_000;
    /**
     * Above this many (pod, node) pairs the solve is skipped and first-fit's answer stands: a zone loss of the
     * 100-node benchmark cluster (1,350 pods on 40 nodes, 52,000 pairs) took a quarter second per solve, ran to
     * the move limit and still left pods pending, and is simulated a hundred times at depth 2.
     */
    static final int MAX_VALUES = 20_000;

    /** Feasible with nothing pending, however much it moved: the first such packing ends the solve. */
    private static final String NOTHING_PENDING = "0hard/0medium/*soft";

    /** Built on the first solve: most analyses never need one, and building it costs about a second. */
    private static final class Factory {
        static final SolverFactory<PodPacking> INSTANCE = SolverFactory.create(solverConfig());
    }

    private final ClusterModel model;

    BinPackingSolver(ClusterModel model) {
        this.model = model;
    }

    static SolverConfig solverConfig() {
        return new SolverConfig()
                .withSolutionClass(PodPacking.class)
                .withEntityClasses(PodPlacement.class)
                .withConstraintProviderClass(PackingConstraintProvider.class)
                .withEnvironmentMode(EnvironmentMode.NO_ASSERT)
                .withRandomSeed(RANDOM_SEED)
                .withMoveThreadCount("NONE")
                .withPhases(
                        new ConstructionHeuristicPhaseConfig()
                                .withConstructionHeuristicType(ConstructionHeuristicType.FIRST_FIT),
                        new LocalSearchPhaseConfig()
                                .withLocalSearchType(LocalSearchType.TABU_SEARCH)
                                .withTerminationConfig(new TerminationConfig()
                                        .withStepCountLimit(STEP_COUNT_LIMIT)
                                        .withUnimprovedStepCountLimit(UNIMPROVED_STEP_COUNT_LIMIT)));
    }

    /**
     * Whether the solver places every displaced pod.
     *
     * @param displaced the displaced pods in first-fit-decreasing order
     * @param out the nodes lost or drained
     * @param firstFit where first-fit put each displaced pod, -1 when pending
     * @param staying where each pod that stays in place runs, -1 for pods down, displaced or gone
     * @param antiAffinity the simulator's anti-affinity check and the pods each term selects
     */
    boolean placesAll(
            List<Integer> displaced,
            boolean[] out,
            IntUnaryOperator firstFit,
            IntUnaryOperator staying,
            AntiAffinity antiAffinity) {
        Set<Integer> displacedSet = new LinkedHashSet<>(displaced);
        Set<String> keys = new LinkedHashSet<>();
        for (int p : displaced) {
            for (ModelPod.AntiAffinityTerm term : model.pods.get(p).antiAffinity()) {
                keys.add(term.topologyKey());
            }
        }
        Map<Integer, PackingNode> nodes = new HashMap<>();
        List<PackingNode> nodeList = new ArrayList<>();
        for (int n = 0; n < out.length; n++) {
            if (out[n] || model.nodes.get(n).unschedulable() || model.freePods[n] < 1) {
                continue;
            }
            Map<String, String> topology = new HashMap<>();
            for (String key : keys) {
                String value = model.topologyValue(n, key);
                if (value != null) {
                    topology.put(key, value);
                }
            }
            PackingNode node = new PackingNode(
                    n,
                    model.nodes.get(n).name(),
                    model.freeCpu[n],
                    model.freeMemory[n],
                    model.freePods[n],
                    Map.copyOf(topology));
            nodes.put(n, node);
            nodeList.add(node);
        }
        List<PodPlacement> placements = new ArrayList<>();
        long values = 0;
        for (int p : displaced) {
            ModelPod pod = model.pods.get(p);
            List<PackingNode> eligible = new ArrayList<>();
            for (PackingNode node : nodeList) {
                int n = node.index();
                if (node.freeCpuMillis() >= pod.cpuMillis()
                        && node.freeMemoryBytes() >= pod.memoryBytes()
                        && Simulator.admits(model, pod, n)
                        && !antiAffinity.violated(p, pod, n, staying)) {
                    eligible.add(node);
                }
            }
            values += eligible.size();
            if (values > MAX_VALUES) {
                return false;
            }
            int first = firstFit.applyAsInt(p);
            placements.add(new PodPlacement(
                    p,
                    pod.namespace() + "/" + pod.name(),
                    pod.cpuMillis(),
                    pod.memoryBytes(),
                    eligible,
                    first < 0 ? null : nodes.get(first)));
        }
        List<AntiAffinityConflict> conflicts = new ArrayList<>();
        for (int p : displaced) {
            ModelPod pod = model.pods.get(p);
            for (ModelPod.AntiAffinityTerm term : pod.antiAffinity()) {
                for (int m : antiAffinity.selected(pod.namespace(), term)) {
                    if (m != p && displacedSet.contains(m)) {
                        conflicts.add(new AntiAffinityConflict(p, m, term.topologyKey()));
                    }
                }
            }
        }
        long moves = Math.min(MAX_MOVES, (long) MOVES_PER_POD * displaced.size() + values * 2);
        PodPacking solved = Factory.INSTANCE
                .buildSolver(new SolverConfigOverride()
                        .withTerminationConfig(new TerminationConfig()
                                .withBestScoreLimit(NOTHING_PENDING)
                                .withMoveCountLimit(moves)))
                .solve(new PodPacking(nodeList, conflicts, placements));
        return solved.getScore().hardScore() == 0 && solved.getScore().mediumScore() == 0;
    }
}
