package dev.remedy.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.management.OperatingSystemMXBean;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.knowledge.Match;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.PlanVerifier;
import dev.remedy.plan.PlanYaml;
import dev.remedy.plan.Planner;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.solver.SchedulingProblem;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Times each phase of planning on generated clusters and prints one table row per size. Run on demand:
 * {@code java -cp ... dev.remedy.benchmark.PlannerBenchmark 10 100 1000 5000}. Each size is first planned,
 * untimed, until the JIT has settled (see {@link #warmUp}), so that its row is steady state. The phases are the
 * planner's own steps and the writing of the plan as YAML (what a user waits for), so that they add up to end to
 * end (which also assembles the plan). The parse floor and end to end, whose ratio is the target, are each
 * measured {@value #MEASURED_PAIRS} times, alternating, and the median run of each is shown with the lowest and
 * highest ratio of a pair: one run of either moves by a fifth from one minute to the next on this machine, and
 * with three runs the median ratio of one invocation still ranged from 2.2x to 3.0x. Each phase shows wall time,
 * the process's CPU time (all threads: the reader's, the garbage collector's, the JIT's; steadier than wall
 * time on a shared machine) and peak heap: the sum of the heap pools' peak usage, reset after a
 * {@code System.gc()} before the phase (an upper bound: pools may peak at different moments).
 */
public final class PlannerBenchmark {

    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One measured phase: wall time, process CPU time and peak heap. */
    public record Phase(long millis, long cpuMillis, long peakMiB) {
        @Override
        public String toString() {
            return String.format("%,7d ms %,7d cpu %,5d MiB", millis, cpuMillis, peakMiB);
        }
    }

    /** One size's figures. */
    public record Row(
            int nodes,
            int warmUps,
            long endToEndJitMillis,
            long pods,
            Phase parseFloor,
            Phase read,
            Phase deriveAndMatch,
            Phase solve,
            Phase verify,
            Phase write,
            Phase endToEnd,
            double lowestRatio,
            double highestRatio,
            int waves,
            WaveLowerBound lowerBound,
            int findings,
            int unresolved) {}

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = args.length == 0
                ? List.of(10, 100, 1000)
                : Stream.of(args).map(Integer::parseInt).toList();
        Path root = Files.createTempDirectory("remedy-benchmark");
        PrintStream out = System.out;
        out.println(header());
        for (int size : sizes) {
            out.println(format(run(size, root.resolve("cluster-" + size))));
        }
    }

    public static String header() {
        return String.format(
                "%6s %8s | %-28s | %-28s | %-28s | %-28s | %-28s | %-28s | %-28s | %5s %5s %-12s | %s | %s",
                "nodes",
                "pods",
                "Jackson parse",
                "read snapshot",
                "derive+match",
                "solve",
                "verify",
                "write YAML",
                "end to end",
                "waves",
                "bound",
                "(chain/node/etcd)",
                "findings/unresolved",
                "warm-up runs, JIT ms in end to end");
    }

    public static String format(Row row) {
        WaveLowerBound bound = row.lowerBound();
        return String.format(
                "%6d %8d | %s | %s | %s | %s | %s | %s | %s | %5d %5d (%d/%d/%d)%s | %d/%d  e2e/parse %.2fx"
                        + " (pairs %.2f-%.2fx) | %d, %d",
                row.nodes(),
                row.pods(),
                row.parseFloor(),
                row.read(),
                row.deriveAndMatch(),
                row.solve(),
                row.verify(),
                row.write(),
                row.endToEnd(),
                row.waves(),
                bound.value(),
                bound.chain(),
                bound.nodes(),
                bound.etcd(),
                " "
                        .repeat(Math.max(
                                0,
                                6
                                        - String.valueOf(bound.chain() + bound.nodes() + bound.etcd())
                                                .length())),
                row.findings(),
                row.unresolved(),
                row.endToEnd().millis() / (double) Math.max(1, row.parseFloor().millis()),
                row.lowestRatio(),
                row.highestRatio(),
                row.warmUps(),
                row.endToEndJitMillis());
    }

    public static Row run(int size, Path directory) {
        return run(size, directory, MAX_WARM_UPS);
    }

    /** {@link #run(int, Path)} with at most {@code maxWarmUps} warm-up runs (a test's quick look at a size). */
    public static Row run(int size, Path directory, int maxWarmUps) {
        ClusterGenerator.Cluster cluster = ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(size, 42));
        ClusterGenerator.write(cluster, directory);
        long pods = cluster.pods();
        cluster = null;
        Instant now = Instant.parse(ClusterGenerator.NOW);
        PlanOptions options = new PlanOptions(Optional.of(now), Optional.empty());
        KnowledgeBase knowledgeBase = KnowledgeBase.bundled();
        TimefoldWavePlanner wavePlanner = new TimefoldWavePlanner();

        int warmUps = warmUp(
                () -> {
                    parseOnly(directory);
                    PlanYaml.yaml(new Planner(knowledgeBase, wavePlanner)
                            .plan(new SnapshotReader().read(directory, directory.toString()), options));
                },
                maxWarmUps);
        // End to end before the phases, so that its snapshot is garbage before the phases read their own.
        List<Phase> parses = new ArrayList<>();
        List<Measured<RemediationPlan>> endToEnds = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int run = 0; run < MEASURED_PAIRS; run++) {
            parses.add(measure(() -> parseOnly(directory)).phase());
            endToEnds.add(measure(() -> {
                RemediationPlan made = new Planner(knowledgeBase, wavePlanner)
                        .plan(new SnapshotReader().read(directory, directory.toString()), options);
                PlanYaml.yaml(made);
                return made;
            }));
            ratios.add(endToEnds.getLast().phase().millis()
                    / (double) Math.max(1, parses.getLast().millis()));
        }
        Phase parse = median(parses, Function.identity());
        Measured<RemediationPlan> endToEnd = median(endToEnds, Measured::phase);
        RemediationPlan plan = endToEnds.getFirst().value();
        Measured<Snapshot> read = measure(() -> new SnapshotReader().read(directory, directory.toString()));
        Snapshot snapshot = read.value();
        int maxUnavailable = options.maxUnavailableNodes(snapshot.nodes().size());
        Planner planner = new Planner(knowledgeBase, wavePlanner);
        Measured<Map<String, Match>> matched =
                measure(() -> planner.findings(snapshot, DerivedFacts.derive(snapshot, now)));
        SchedulingProblem problem = Planner.problem(matched.value(), snapshot, maxUnavailable);
        Phase solve = measure(() -> wavePlanner.schedule(problem)).phase();
        Measured<List<String>> verify = measure(() -> new PlanVerifier(maxUnavailable).verify(plan, snapshot));
        if (!verify.value().isEmpty()) {
            throw new IllegalStateException("The plan for " + size + " nodes fails verification: " + verify.value());
        }
        Phase write = measure(() -> PlanYaml.yaml(plan)).phase();
        return new Row(
                snapshot.nodes().size(),
                warmUps,
                endToEnd.jitMillis(),
                pods,
                parse,
                read.phase(),
                matched.phase(),
                solve,
                verify.phase(),
                write,
                endToEnd.phase(),
                Collections.min(ratios),
                Collections.max(ratios),
                plan.spec().waves().size(),
                WaveLowerBound.of(plan, snapshot, maxUnavailable),
                plan.spec().findings().size(),
                plan.spec().unresolved().size());
    }

    /** How many times the parse floor and end to end are each measured, one after the other. */
    static final int MEASURED_PAIRS = 5;

    /** The most warm-up runs of one size: at 5,000 nodes the JIT settles after 30 to 40 (about a minute). */
    static final int MAX_WARM_UPS = 60;

    /** Warm-up runs end once the JIT's compilations in each of this many runs in a row... */
    private static final int SETTLED_RUNS = 3;

    /** ...took at most this share of the run's wall time. */
    private static final double SETTLED_JIT_SHARE = 0.05;

    /**
     * Runs {@code work} (untimed) until the JIT has settled: the compilations during each of the last
     * {@value #SETTLED_RUNS} runs took at most {@value #SETTLED_JIT_SHARE} of that run's wall time, or
     * {@code maxWarmUps} runs were made; returns the number of runs. A fixed count was not enough: at 5,000
     * nodes the C2 compiler still used 0.6 to 0.9 s of CPU in each of runs 4 to 8 (Jackson, fabric8, CEL,
     * Timefold and the planner are a lot of code for one compiler thread), on one of the two cores, and the
     * end to end fell from about 1.5 s to about 0.9 s by run 30. The parse floor runs in the same loop, so that
     * both sides of the ratio are warmed alike.
     */
    static int warmUp(Runnable work, int maxWarmUps) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int runs = 0;
        for (int settled = 0; settled < SETTLED_RUNS && runs < maxWarmUps; runs++) {
            long jitStart = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            work.run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            long jitMillis = jit.getTotalCompilationTime() - jitStart;
            settled = runs >= 1 && jitMillis <= SETTLED_JIT_SHARE * millis ? settled + 1 : 0;
        }
        return runs;
    }

    /** The floor: parse every file into Jackson trees, nothing else. */
    private static int parseOnly(Path directory) {
        ObjectMapper json = new ObjectMapper();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        int documents = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                if (file.toString().endsWith(".json")) {
                    json.readTree(bytes);
                    documents++;
                } else {
                    try (var values = yaml.readerFor(Object.class).readValues(bytes)) {
                        while (values.hasNext()) {
                            values.next();
                            documents++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** The run with the median wall time. */
    private static <T> T median(List<T> runs, Function<T, Phase> phase) {
        return runs.stream()
                .sorted(Comparator.comparingLong(run -> phase.apply(run).millis()))
                .toList()
                .get(runs.size() / 2);
    }

    /** A measured phase, what it made, and the JIT's compile time during it. */
    private record Measured<T>(T value, Phase phase, long jitMillis) {}

    private static <T> Measured<T> measure(Supplier<T> work) {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitStart = jit.getTotalCompilationTime();
        long cpuStart = PROCESS.getProcessCpuTime();
        long start = System.nanoTime();
        T value = work.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpuMillis = (PROCESS.getProcessCpuTime() - cpuStart) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Measured<>(
                value, new Phase(millis, cpuMillis, peak / (1024 * 1024)), jit.getTotalCompilationTime() - jitStart);
    }
}
