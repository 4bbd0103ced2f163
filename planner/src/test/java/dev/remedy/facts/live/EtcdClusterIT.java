package dev.remedy.facts.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotContent;
import dev.remedy.facts.SnapshotInfo;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.facts.SnapshotWriter;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.plan.Finding;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.Planner;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real three-member etcd cluster on loopback ports, measured through the same parser and merge as the
 * in-pod path, before and after one member is killed.
 */
class EtcdClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dataDirs;

    private final List<Process> members = new ArrayList<>();

    @AfterEach
    void stopMembers() throws InterruptedException {
        for (Process member : members) {
            member.destroyForcibly();
        }
        for (Process member : members) {
            member.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void reportsAKilledMemberAsDownAndPlansForQuorumAtRisk() throws Exception {
        requireOnPath("etcd");
        requireOnPath("etcdctl");
        List<String> clientUrls = startCluster(3);
        List<LocalEtcdctl> etcdctls = clientUrls.stream().map(LocalEtcdctl::new).toList();
        EtcdCollector collector = new EtcdCollector(TIMEOUT);

        EtcdFacts healthy = awaitAllHealthy(collector, etcdctls);
        assertThat(healthy.members()).hasSize(3).allSatisfy(m -> {
            assertThat(m.healthy()).isTrue();
            assertThat(m.readLatencyMs()).isPositive();
            assertThat(m.version()).startsWith("3.");
            assertThat(m.error()).isNull();
        });
        assertThat(healthy.members())
                .filteredOn(m -> Boolean.TRUE.equals(m.leader()))
                .hasSize(1);

        members.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        CollectionLog log = new CollectionLog();
        EtcdFacts degraded = collector.collect(etcdctls, log).orElseThrow();

        EtcdFacts.Member killed = member(degraded, "m2");
        assertThat(killed.healthy()).isFalse();
        assertThat(killed.error()).contains("no answer within 3 s");
        assertThat(killed.readLatencyMs()).isNull();
        assertThat(member(degraded, "m0").healthy()).isTrue();
        assertThat(member(degraded, "m1").healthy()).isTrue();
        assertThat(log.problems())
                .extracting(SnapshotInfo.CollectionProblem::what)
                .containsExactly("etcd member m2");

        RemediationPlan plan = plan(degraded, log);
        assertThat(plan.spec().findings()).extracting(Finding::scenario).containsExactly("etcd-quorum-at-risk");
        assertThat(plan.spec().findings().get(0).summary()).contains("m2", "2 of 3");
        assertThat(plan.spec().source().notes()).anyMatch(n -> n.contains("etcd member m2"));
    }

    private static RemediationPlan plan(EtcdFacts etcd, CollectionLog log) {
        SnapshotInfo info = new SnapshotInfo(
                SnapshotReader.API_VERSION,
                SnapshotInfo.KIND,
                FactsMetadata.named("snapshot"),
                "2026-01-01T00:00:00Z",
                "etcd-it",
                null,
                log.collected(),
                log.problems());
        Snapshot snapshot = new SnapshotReader()
                .read(
                        new SnapshotWriter().files(new SnapshotContent(List.of(), List.of(), Optional.of(etcd), info)),
                        "etcd-it");
        Path scenarios = Path.of(System.getProperty("remedy.repo.root", ".."))
                .resolve("planner/src/test/resources/knowledge-base-etcd");
        return new Planner(KnowledgeBase.load(scenarios), new TimefoldWavePlanner())
                .plan(snapshot, new PlanOptions(Optional.of(Instant.parse("2026-01-01T00:00:00Z")), Optional.empty()));
    }

    private static EtcdFacts.Member member(EtcdFacts facts, String name) {
        return facts.members().stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no member " + name + " in " + facts.members()));
    }

    private EtcdFacts awaitAllHealthy(EtcdCollector collector, List<LocalEtcdctl> etcdctls)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        EtcdFacts last = null;
        while (System.nanoTime() < deadline) {
            Optional<EtcdFacts> facts = collector.collect(etcdctls, new CollectionLog());
            if (facts.isPresent()
                    && facts.get().members().size() == 3
                    && facts.get().members().stream().allMatch(EtcdFacts.Member::isHealthy)) {
                return facts.get();
            }
            last = facts.orElse(null);
            Thread.sleep(300);
        }
        throw new AssertionError("the etcd cluster did not become healthy within 30 s: " + last);
    }

    private List<String> startCluster(int size) throws IOException {
        List<Integer> ports = freePorts(size * 2);
        List<String> clientUrls = new ArrayList<>();
        List<String> initialCluster = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            clientUrls.add("http://127.0.0.1:" + ports.get(2 * i));
            initialCluster.add("m" + i + "=http://127.0.0.1:" + ports.get(2 * i + 1));
        }
        for (int i = 0; i < size; i++) {
            Path dir = Files.createDirectories(dataDirs.resolve("m" + i));
            ProcessBuilder builder = new ProcessBuilder(
                            "etcd",
                            "--name=m" + i,
                            "--data-dir=" + dir.resolve("data"),
                            "--listen-client-urls=" + clientUrls.get(i),
                            "--advertise-client-urls=" + clientUrls.get(i),
                            "--listen-peer-urls=http://127.0.0.1:" + ports.get(2 * i + 1),
                            "--initial-advertise-peer-urls=http://127.0.0.1:" + ports.get(2 * i + 1),
                            "--initial-cluster=" + String.join(",", initialCluster),
                            "--initial-cluster-token=remedy-it",
                            "--initial-cluster-state=new")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile());
            members.add(builder.start());
        }
        return clientUrls;
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void requireOnPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return;
            }
        }
        fail("`" + binary + "` is not on PATH, so the real-etcd test cannot run. Maybe install it:"
                + " sudo apt-get install -y etcd-server etcd-client (CI's .ci/run does).");
    }
}
