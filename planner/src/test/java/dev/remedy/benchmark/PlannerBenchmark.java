package dev.remedy.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.knowledge.Match;
import dev.remedy.knowledge.Matcher;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.PlanVerifier;
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
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Times each phase of planning on generated clusters and prints one table row per size. Run on demand:
 * {@code java -cp ... dev.remedy.benchmark.PlannerBenchmark 10 100 1000 5000}, after one untimed warm-up run
 * at 10 nodes. Peak heap per phase is the sum
 * of the heap pools' peak usage, reset after a {@code System.gc()} before the phase (an upper bound: pools
 * may peak at different moments).
 */
public final class PlannerBenchmark {

    /** One measured phase: wall time and peak heap. */
    public record Phase(long millis, long peakMiB) {
        @Override
        public String toString() {
            return String.format("%,7d ms %,6d MiB", millis, peakMiB);
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
                "%6s %8s | %-18s | %-18s | %-18s | %-18s | %-18s | %-18s | %5s %5s %-12s | %s",
                "nodes",
                "pods",
                "Jackson parse",
                "read snapshot",
                "derive+match",
                "solve",
                "verify",
                "end to end",
                "waves",
                "bound",
                "(chain/node/etcd)",
                "findings/unresolved");
    }

    public static String format(Row row) {
        WaveLowerBound bound = row.lowerBound();
        return String.format(
                "%6d %8d | %s | %s | %s | %s | %s | %s | %5d %5d (%d/%d/%d)%s | %d/%d  e2e/parse %.2fx",
                row.nodes(),
                row.pods(),
                row.parseFloor(),
                row.read(),
                row.deriveAndMatch(),
                row.solve(),
                row.verify(),
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

        // One unmeasured run at this size first, so that every figure below is steady state: the JIT has seen
        // this size's paths, and the parse floor and the planner are compared on equal terms.
        parseOnly(directory);
        new Planner(knowledgeBase, wavePlanner)
                .plan(new SnapshotReader().read(directory, directory.toString()), options);
        Phase parse = measure(() -> parseOnly(directory)).phase();
        // End to end before the phases, so that its snapshot is garbage before the phases read their own.
        Measured<RemediationPlan> endToEnd = measure(() -> new Planner(knowledgeBase, wavePlanner)
                .plan(new SnapshotReader().read(directory, directory.toString()), options));
        RemediationPlan plan = endToEnd.value();
        Measured<Snapshot> read = measure(() -> new SnapshotReader().read(directory, directory.toString()));
        Snapshot snapshot = read.value();
        int maxUnavailable = options.maxUnavailableNodes(snapshot.nodes().size());
        Measured<List<Match>> matched =
                measure(() -> new Matcher(knowledgeBase).match(DerivedFacts.derive(snapshot, now)));
        SchedulingProblem problem = problem(matched.value(), snapshot, maxUnavailable);
        Phase solve = measure(() -> wavePlanner.schedule(problem)).phase();
        Measured<List<String>> verify = measure(() -> new PlanVerifier(maxUnavailable).verify(plan, snapshot));
        if (!verify.value().isEmpty()) {
            throw new IllegalStateException("The plan for " + size + " nodes fails verification: " + verify.value());
        }
        return new Row(
                snapshot.nodes().size(),
                pods,
                parse,
                read.phase(),
                matched.phase(),
                solve,
                verify.phase(),
                endToEnd.phase(),
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

    /** The problem the planner hands the solver, built the way {@link Planner} builds it. */
    private static SchedulingProblem problem(List<Match> matches, Snapshot snapshot, int maxUnavailable) {
        List<Match> sorted = new ArrayList<>(matches);
        sorted.sort(Comparator.comparing(m -> m.scenario().severity()));
        List<SchedulingProblem.FindingOptions> findings = new ArrayList<>();
        for (Match match : sorted) {
            findings.add(new SchedulingProblem.FindingOptions(
                    "F" + (findings.size() + 1),
                    match.scenario().severity(),
                    match.candidates().stream()
                            .filter(Match.Candidate::applicable)
                            .sorted(Comparator.comparing(Match.Candidate::risk))
                            .map(c -> new SchedulingProblem.Option(c.remedy(), c.risk(), c.actions()))
                            .toList()));
        }
        return new SchedulingProblem(findings, snapshot, null, maxUnavailable);
    }

    private record Measured<T>(T value, Phase phase) {}

    private static <T> Measured<T> measure(Supplier<T> work) {
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        T value = work.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Measured<>(value, new Phase(millis, peak / (1024 * 1024)));
    }
}
