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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times deriving facts and matching the knowledge base apart from each other, repeatedly on one generated
 * snapshot, and prints a digest of the findings and one of the derived facts themselves (every item as text,
 * untimed), so that a change to either can be checked for identical results, each with the bytes it allocated on
 * all threads. Deriving runs on more than one thread: its process CPU time (all threads, the collector's too) is
 * the figure to compare, not this thread's. With {@code -Dderive.collections=true} it also times each fact
 * collection alone, with what it allocated. Run on demand:
 * {@code ./benchmark dev.remedy.benchmark.DeriveBenchmark 1000 5}.
 */
public final class DeriveBenchmark {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private DeriveBenchmark() {}

    public static void main(String[] args) throws IOException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path directory = ClusterGenerator.writtenOnce(size);
        Snapshot snapshot = new SnapshotReader().read(directory, directory.toString());
        Instant now = Instant.parse(ClusterGenerator.NOW);
        Planner planner = new Planner(KnowledgeBase.bundled(), new TimefoldWavePlanner());
        for (int run = 1; run <= runs; run++) {
            System.gc();
            long processCpu = PROCESS.getProcessCpuTime();
            long allocated = THREADS.getTotalThreadAllocatedBytes();
            long cpu = THREADS.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            DerivedFacts facts = DerivedFacts.derive(snapshot, now);
            long deriveWall = System.nanoTime() - wall;
            long deriveCpu = THREADS.getCurrentThreadCpuTime() - cpu;
            long deriveProcessCpu = PROCESS.getProcessCpuTime() - processCpu;
            long deriveAllocated = THREADS.getTotalThreadAllocatedBytes() - allocated;
            Map<String, Match> findings = planner.findings(snapshot, facts);
            long matchWall = System.nanoTime() - wall - deriveWall;
            long matchCpu = THREADS.getCurrentThreadCpuTime() - cpu - deriveCpu;
            long allCpu = PROCESS.getProcessCpuTime() - processCpu;
            long matchAllocated = THREADS.getTotalThreadAllocatedBytes() - allocated - deriveAllocated;
            System.out.printf(
                    "%d nodes run %d: process cpu %d ms, derive %d ms (thread cpu %d, process cpu %d, %d MiB), match %d ms"
                            + " (thread cpu %d, %d MiB), %d findings %s, facts %s%n",
                    size,
                    run,
                    allCpu / 1_000_000,
                    deriveWall / 1_000_000,
                    deriveCpu / 1_000_000,
                    deriveProcessCpu / 1_000_000,
                    deriveAllocated >> 20,
                    matchWall / 1_000_000,
                    matchCpu / 1_000_000,
                    matchAllocated >> 20,
                    findings.size(),
                    digest(findings),
                    digest(facts));
            if (Boolean.getBoolean("derive.collections")) {
                FactContext context = new FactContext(snapshot, now, new LinkedHashMap<>(facts.cluster()));
                StringBuilder line = new StringBuilder("  collections (thread cpu ms/MiB):");
                for (FactCollection collection : DerivedFacts.REGISTRY) {
                    long start = THREADS.getCurrentThreadCpuTime();
                    long bytes = THREADS.getCurrentThreadAllocatedBytes();
                    collection.derive(context);
                    line.append(' ')
                            .append(collection.name())
                            .append(' ')
                            .append((THREADS.getCurrentThreadCpuTime() - start) / 1_000_000)
                            .append('/')
                            .append((THREADS.getCurrentThreadAllocatedBytes() - bytes) >> 20);
                }
                System.out.println(line);
            }
        }
    }

    /** Every cluster fact and collection item as text, fed to the digest piece by piece to keep it small. */
    private static String digest(DerivedFacts facts) {
        MessageDigest digest = sha256();
        digest.update(facts.cluster().toString().getBytes(StandardCharsets.UTF_8));
        for (FactCollection collection : DerivedFacts.REGISTRY) {
            digest.update(collection.name().getBytes(StandardCharsets.UTF_8));
            for (Map<String, Object> item : facts.collection(collection.name())) {
                digest.update(item.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
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
        return HexFormat.of()
                .formatHex(sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
