package dev.remedy.benchmark;

import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.facts.derived.FactCollection;
import dev.remedy.facts.derived.FactContext;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.knowledge.Match;
import dev.remedy.plan.Planner;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times deriving facts and matching the knowledge base apart from each other, repeatedly on one generated
 * snapshot, and prints a digest of the findings so that a change to either can be checked for identical
 * results. With {@code -Dderive.collections=true} it also times each fact collection alone. Run on demand:
 * {@code ./benchmark dev.remedy.benchmark.DeriveBenchmark 1000 5}.
 */
public final class DeriveBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private DeriveBenchmark() {}

    public static void main(String[] args) throws IOException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path directory = Path.of(System.getProperty("java.io.tmpdir"), "remedy-derive-benchmark", "cluster-" + size);
        if (!Files.isDirectory(directory)) {
            ClusterGenerator.write(ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(size, 42)), directory);
        }
        Snapshot snapshot = new SnapshotReader().read(directory, directory.toString());
        Instant now = Instant.parse(ClusterGenerator.NOW);
        Planner planner = new Planner(KnowledgeBase.bundled(), new TimefoldWavePlanner());
        for (int run = 1; run <= runs; run++) {
            System.gc();
            long processCpu = PROCESS.getProcessCpuTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            DerivedFacts facts = DerivedFacts.derive(snapshot, now);
            long deriveWall = System.nanoTime() - wall;
            long deriveCpu = THREADS.getCurrentThreadCpuTime() - cpu;
            Map<String, Match> findings = planner.findings(snapshot, facts);
            long matchWall = System.nanoTime() - wall - deriveWall;
            long matchCpu = THREADS.getCurrentThreadCpuTime() - cpu - deriveCpu;
            long allCpu = PROCESS.getProcessCpuTime() - processCpu;
            System.out.printf(
                    "%d nodes run %d: process cpu %d ms, derive %d ms (thread cpu %d), match %d ms (thread cpu %d),"
                            + " %d findings %s%n",
                    size,
                    run,
                    allCpu / 1_000_000,
                    deriveWall / 1_000_000,
                    deriveCpu / 1_000_000,
                    matchWall / 1_000_000,
                    matchCpu / 1_000_000,
                    findings.size(),
                    digest(findings));
            if (Boolean.getBoolean("derive.collections")) {
                FactContext context = new FactContext(snapshot, now, new LinkedHashMap<>(facts.cluster()));
                StringBuilder line = new StringBuilder("  collections (thread cpu ms):");
                for (FactCollection collection : DerivedFacts.REGISTRY) {
                    long start = THREADS.getCurrentThreadCpuTime();
                    collection.derive(context);
                    line.append(' ')
                            .append(collection.name())
                            .append(' ')
                            .append((THREADS.getCurrentThreadCpuTime() - start) / 1_000_000);
                }
                System.out.println(line);
            }
        }
    }

    private static String digest(Map<String, Match> findings) {
        StringBuilder text = new StringBuilder();
        findings.forEach((id, m) -> text.append(id)
                .append(m.scenario().id())
                .append(m.severity())
                .append(m.subject())
                .append(m.summary())
                .append(m.evidence())
                .append(m.candidates())
                .append(m.unresolved())
                .append('\n'));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.toString().getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
