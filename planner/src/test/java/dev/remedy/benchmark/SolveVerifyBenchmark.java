package dev.remedy.benchmark;

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
import dev.remedy.solver.ClusterModel;
import dev.remedy.solver.Schedule;
import dev.remedy.solver.SchedulingProblem;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Times the solver's cluster model, the whole solve, the verifier, the planner's own work around the phases
 * (end to end on a snapshot already read, minus derive+match, solve and verify) and writing the plan as YAML, repeatedly on one generated
 * snapshot, and prints a digest of the plan so that a change can be checked for an identical plan. Run on demand:
 * {@code ./benchmark dev.remedy.benchmark.SolveVerifyBenchmark 5000 5}.
 */
public final class SolveVerifyBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SolveVerifyBenchmark() {}

    public static void main(String[] args) throws IOException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path directory = ClusterGenerator.writtenOnce(size);
        Snapshot snapshot = new SnapshotReader().read(directory, directory.toString());
        Instant now = Instant.parse(ClusterGenerator.NOW);
        PlanOptions options = new PlanOptions(Optional.of(now), Optional.empty());
        TimefoldWavePlanner wavePlanner = new TimefoldWavePlanner();
        Planner planner = new Planner(KnowledgeBase.bundled(), wavePlanner);
        int maxUnavailable = options.maxUnavailableNodes(snapshot.nodes().size());
        Map<String, Match> findings = planner.findings(snapshot, DerivedFacts.derive(snapshot, now));
        SchedulingProblem problem = Planner.problem(findings, snapshot, maxUnavailable);
        long[] least = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        for (int run = 1; run <= runs; run++) {
            Timed<ClusterModel> model = time(() -> ClusterModel.of(problem));
            Timed<Schedule> solve = time(() -> wavePlanner.schedule(problem));
            Timed<RemediationPlan> plan = time(() -> planner.plan(snapshot, options));
            Timed<List<String>> verify = time(() -> new PlanVerifier(maxUnavailable).verify(plan.value(), snapshot));
            Timed<Map<String, Match>> derive =
                    time(() -> planner.findings(snapshot, DerivedFacts.derive(snapshot, now)));
            Timed<String> yaml = time(() -> PlanYaml.yaml(plan.value()));
            System.out.printf(
                    "%d nodes run %d (thread cpu / process cpu ms): model %s, solve %s, verify %s, plan %s,"
                            + " derive+match %s, plan outside the phases %d, yaml %s; %d violations, plan %s%n",
                    size,
                    run,
                    model,
                    solve,
                    verify,
                    plan,
                    derive,
                    (plan.cpu() - derive.cpu() - solve.cpu() - verify.cpu()) / 1_000_000,
                    yaml,
                    verify.value().size(),
                    digest(yaml.value()));
            least[0] = Math.min(least[0], model.cpu() / 1_000_000);
            least[1] = Math.min(least[1], solve.cpu() / 1_000_000);
            least[2] = Math.min(least[2], verify.cpu() / 1_000_000);
            least[3] = Math.min(least[3], plan.cpu() / 1_000_000);
            least[4] = Math.min(least[4], yaml.cpu() / 1_000_000);
        }
        System.out.printf(
                "least thread cpu ms: model %d, solve %d, verify %d, plan %d, yaml %d%n",
                least[0], least[1], least[2], least[3], least[4]);
    }

    private record Timed<T>(T value, long cpu, long processCpu) {
        @Override
        public String toString() {
            return cpu / 1_000_000 + "/" + processCpu / 1_000_000;
        }
    }

    private static <T> Timed<T> time(Supplier<T> work) {
        System.gc();
        long processCpu = PROCESS.getProcessCpuTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        T value = work.get();
        return new Timed<>(value, THREADS.getCurrentThreadCpuTime() - cpu, PROCESS.getProcessCpuTime() - processCpu);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
