package dev.remedy.risks;

import dev.remedy.benchmark.ClusterGenerator;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the figures of the risk analysis: on the planner benchmark's generated clusters (sizes as arguments, default 100 1000 5000
 * nodes), the time to build the model, to simulate every single node loss and zone loss, the full depth-1
 * analysis (all event kinds) and depth 2, and the peak heap; with {@code --snapshot PATH}, the time of the
 * whole {@code risks} report (depth 2, or {@code --depth N}, prevention and re-run included) on that snapshot; with
 * {@code --written N}, the same on a generated cluster of N nodes written to a temporary snapshot directory.
 * A benchmark, not a test: wall-clock figures vary with the machine.
 */
public final class RiskBenchmark {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        int maxDepth2 = Integer.MAX_VALUE;
        int depth = 2;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--depth")) {
                depth = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--snapshot")) {
                snapshot(Path.of(args[++i]), depth);
            } else if (args[i].equals("--written")) {
                snapshot(written(Integer.parseInt(args[++i])), depth);
            } else if (args[i].equals("--depth2-up-to")) {
                maxDepth2 = Integer.parseInt(args[++i]);
            } else {
                sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty() && args.length == 0) {
            sizes = List.of(100, 1000, 5000);
        }
        for (int size : sizes) {
            generated(size, size <= maxDepth2);
        }
    }

    private static Path written(int nodes) {
        try {
            Path directory = java.nio.file.Files.createTempDirectory("remedy-risks-" + nodes + "-");
            ClusterGenerator.write(ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(nodes, 42)), directory);
            return directory;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void snapshot(Path path, int depth) {
        long start = System.nanoTime();
        Snapshot snapshot = new SnapshotReader().read(path, path.toString());
        long read = System.nanoTime();
        RiskReport report = new RiskPlanner(depth).report(snapshot, NOW);
        long done = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "%s: %d nodes, %d pods; read %.2f s; risks depth %d (analysis, prevention,"
                        + " verification, re-run) %.2f s; %d events, %d of %d pairs evaluated, %d risks, %d after"
                        + " prevention; peak heap %d MiB%n",
                path,
                report.spec().analysis().nodes(),
                report.spec().analysis().pods(),
                seconds(start, read),
                depth,
                seconds(read, done),
                report.spec().analysis().events(),
                report.spec().analysis().pairsEvaluated(),
                report.spec().analysis().possiblePairs(),
                report.spec().risks().size(),
                report.spec().afterPrevention().risks(),
                peakHeapMiB());
    }

    static String generated(int nodes, boolean depth2) {
        resetPeaks();
        long start = System.nanoTime();
        Snapshot snapshot = ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(nodes, 42))
                .snapshot("generated-" + nodes);
        long generated = System.nanoTime();
        ClusterModel model = ModelReader.read(snapshot, NOW);
        long modelled = System.nanoTime();
        List<RiskEvent> events = EventCatalog.events(model);
        long cataloged = System.nanoTime();
        int scaledDown = events.stream()
                .filter(e -> e.type() == EventType.AUTOSCALER_SCALE_DOWN)
                .mapToInt(e -> e.drainedNodes().length)
                .sum();
        Simulator simulator = new Simulator(model);
        int outages = 0;
        int simulated = 0;
        for (RiskEvent event : events) {
            if (event.type() == EventType.NODE_LOSS || event.type() == EventType.ZONE_LOSS) {
                outages += simulator.simulate(List.of(event)).outages().isEmpty() ? 0 : 1;
                simulated++;
            }
        }
        long singles = System.nanoTime();
        RiskAnalysis.Result depth1 = RiskAnalysis.analyze(model, 1);
        long analysed1 = System.nanoTime();
        String line = String.format(
                Locale.ROOT,
                "%d nodes, %d pods: generate %.2f s, model %.2f s, events %.2f s (autoscaler removes %d nodes);"
                        + " %d node/zone losses %.2f s (%d with outages); depth 1, %d events: %.2f s, %d risks",
                nodes,
                model.pods.size(),
                seconds(start, generated),
                seconds(generated, modelled),
                seconds(modelled, cataloged),
                scaledDown,
                simulated,
                seconds(cataloged, singles),
                outages,
                depth1.stats().events(),
                seconds(singles, analysed1),
                depth1.risks().size());
        System.out.println(line + "; peak heap so far " + peakHeapMiB() + " MiB");
        System.out.flush();
        if (depth2) {
            long before = System.nanoTime();
            RiskAnalysis.Result depth2Result = RiskAnalysis.analyze(model, 2);
            long after = System.nanoTime();
            line += String.format(
                    Locale.ROOT,
                    "; depth 2: %.2f s, %d of %d pairs evaluated (%d skipped), %d risks",
                    seconds(before, after),
                    depth2Result.stats().pairsEvaluated(),
                    depth2Result.stats().possiblePairs(),
                    depth2Result.stats().pairsSkipped(),
                    depth2Result.risks().size());
        }
        line += "; peak heap " + peakHeapMiB() + " MiB";
        System.out.println(line);
        return line;
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
