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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Times each phase of planning on generated clusters and prints one table row per size. Run on demand:
 * {@code java -cp ... dev.remedy.benchmark.PlannerBenchmark 10 100 1000 5000}, after one untimed warm-up run
 * at 10 nodes. The phases are the planner's own steps and the writing of the plan as YAML (what a user
 * waits for), so that they add up to end to end (which also assembles the plan). The parse floor and end to
 * end, whose ratio is the target, are each measured three times, alternating, and the median run is shown:
 * one run of either moves by a fifth from one minute to the next on this machine. Each phase shows wall time,
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
            long pods,
            Phase parseFloor,
            Phase read,
            Phase deriveAndMatch,
            Phase solve,
            Phase verify,
            Phase write,
            Phase endToEnd,
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
        // Warm up class loading, the JIT, CEL and the constraint network once, so rows measure planning.
        run(10, root.resolve("warm-up"));
        out.println(header());
        for (int size : sizes) {
            out.println(format(run(size, root.resolve("cluster-" + size))));
        }
    }

    public static String header() {
        return String.format(
                "%6s %8s | %-28s | %-28s | %-28s | %-28s | %-28s | %-28s | %-28s | %5s %5s %-12s | %s",
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
                "findings/unresolved");
    }

    public static String format(Row row) {
        WaveLowerBound bound = row.lowerBound();
        return String.format(
                "%6d %8d | %s | %s | %s | %s | %s | %s | %s | %5d %5d (%d/%d/%d)%s | %d/%d  e2e/parse %.2fx",
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
                row.endToEnd().millis() / (double) Math.max(1, row.parseFloor().millis()));
    }

    public static Row run(int size, Path directory) {
        ClusterGenerator.Cluster cluster = ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(size, 42));
        ClusterGenerator.write(cluster, directory);
        long pods = cluster.pods();
        cluster = null;
        Instant now = Instant.parse(ClusterGenerator.NOW);
        PlanOptions options = new PlanOptions(Optional.of(now), Optional.empty());
        KnowledgeBase knowledgeBase = KnowledgeBase.bundled();
        TimefoldWavePlanner wavePlanner = new TimefoldWavePlanner();

        // Unmeasured runs at this size first, so that every figure below is steady state: the JIT has seen this
        // size's paths, and the parse floor and the planner are compared on equal terms. Small sizes take several
        // (one run of 100 nodes leaves most of the planner interpreted); large ones take two (the JIT still
        // improves the second run of 5,000 nodes by a fifth).
        for (int warmUp = size <= 100 ? 5 : 2; warmUp > 0; warmUp--) {
            parseOnly(directory);
            new Planner(knowledgeBase, wavePlanner)
                    .plan(new SnapshotReader().read(directory, directory.toString()), options);
        }
        // End to end before the phases, so that its snapshot is garbage before the phases read their own.
        List<Phase> parses = new ArrayList<>();
        List<Measured<RemediationPlan>> endToEnds = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            parses.add(measure(() -> parseOnly(directory)).phase());
            endToEnds.add(measure(() -> {
                RemediationPlan made = new Planner(knowledgeBase, wavePlanner)
                        .plan(new SnapshotReader().read(directory, directory.toString()), options);
                PlanYaml.yaml(made);
                return made;
            }));
        }
        Phase parse = median(parses);
        Phase endToEnd = median(endToEnds.stream().map(Measured::phase).toList());
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
                pods,
                parse,
                read.phase(),
                matched.phase(),
                solve,
                verify.phase(),
                write,
                endToEnd,
                plan.spec().waves().size(),
                WaveLowerBound.of(plan, snapshot, maxUnavailable),
                plan.spec().findings().size(),
                plan.spec().unresolved().size());
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
    private static Phase median(List<Phase> runs) {
        return runs.stream()
                .sorted(Comparator.comparingLong(Phase::millis))
                .toList()
                .get(runs.size() / 2);
    }

    private record Measured<T>(T value, Phase phase) {}

    private static <T> Measured<T> measure(Supplier<T> work) {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long cpuStart = PROCESS.getProcessCpuTime();
        long start = System.nanoTime();
        T value = work.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpuMillis = (PROCESS.getProcessCpuTime() - cpuStart) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Measured<>(value, new Phase(millis, cpuMillis, peak / (1024 * 1024)));
    }
}
