package dev.remedy.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remedy.RepoPaths;
import dev.remedy.facts.SnapshotException;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.plan.Finding;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.Planner;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Severity;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner on real inputs from the shared corpus (../shared/corpus, see its SOURCES.md): every cluster dump
 * loads and plans, every other folder either plans or is refused with a clear message (never an internal
 * error), and the healthy clusters produce no critical finding. The corpus is read in place, never copied into
 * the repository (its files carry their own licences); where it is absent, as on a user's machine, the tests
 * are skipped.
 */
class CorpusTest {

    private static final Path CORPUS = RepoPaths.corpus();
    private static final Path EKS = CORPUS.resolve("cluster-info-dump-eks/kubectl-cluster-info-dump_eks.txt");
    private static final Path K3D = CORPUS.resolve("troubleshoot-support-bundle-k3d");
    private static final Path INSIGHTS = CORPUS.resolve("openshift-insights-operator/insights-archive-sample");

    @TempDir
    Path scratch;

    @BeforeAll
    static void corpusIsThere() {
        assumeTrue(
                Files.isDirectory(CORPUS),
                "The shared corpus (" + CORPUS + ") is absent, so the corpus tests are skipped; it exists only in"
                        + " the project's workspace.");
    }

    @TestFactory
    Stream<DynamicTest> everyClusterDumpLoadsAndPlans() {
        return Stream.of(
                        EKS,
                        K3D,
                        CORPUS.resolve("kalc/gke-tesg1-full-cluster.yaml"),
                        CORPUS.resolve("kalc/kube-config-pods.yaml"),
                        CORPUS.resolve("kalc/kube-config-nodes.yaml"),
                        INSIGHTS)
                .map(dump -> DynamicTest.dynamicTest(
                        CORPUS.relativize(dump).toString(),
                        () -> assertThat(plan(dump).spec()).isNotNull()));
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFolderPlansOrIsRefusedWithAClearMessage() throws IOException {
        List<Path> folders;
        try (Stream<Path> list = Files.list(CORPUS)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        }
        return folders.stream()
                .map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> assertThatCode(() -> {
                            try {
                                plan(folder);
                            } catch (SnapshotException refused) {
                                assertThat(refused.getMessage()).contains("Maybe");
                            }
                        })
                        .doesNotThrowAnyException()));
    }

    @Test
    void theHealthyEksClusterInfoDumpHasNoCriticalFinding() {
        RemediationPlan plan = plan(EKS);

        assertThat(critical(plan)).isEmpty();
        assertThat(plan.spec().source().notes()).anyMatch(note -> note.contains("cluster-info dump"));
    }

    @Test
    void theK3dBundleWithHighPastRestartCountsHasNoCriticalFinding() {
        RemediationPlan plan = plan(K3D);

        assertThat(critical(plan)).isEmpty();
        assertThat(plan.spec().findings())
                .extracting(Finding::scenario)
                .doesNotContain("crashloop-oomkilled", "crashloop-config-error");
    }

    @Test
    void theOpenShiftInsightsSampleFindsItsPendingRouterAndStaysPartial() {
        RemediationPlan plan = plan(INSIGHTS);

        assertThat(plan.spec().findings()).anySatisfy(f -> assertThat(f.scenario() + " " + f.summary())
                .startsWith("pod-unschedulable")
                .contains("router-default-7bbdcfcf9b-7xdln"));
        assertThat(plan.spec().source().partial()).isTrue();
        assertThat(plan.spec().source().notes())
                .anyMatch(note -> note.contains("holds only the pods its gatherers selected"));
    }

    @TestFactory
    Stream<DynamicTest> anOomKilledNodeFiresOnlyWithAKubeletConfigurationWithoutThresholdsOrReservations() {
        return Stream.of(
                        new KubeletConfig("joneconsulting_kubeadm_var-lib-kubelet-config.yaml", true),
                        new KubeletConfig("eks-ami-al2_files-kubelet-config_no-eviction.json", true),
                        new KubeletConfig("huisebug-k8s1.12_var-lib-kubelet-config.yaml", false),
                        new KubeletConfig(
                                "eks-nodeadm_expected-kubelet-config_with-evictionHard-kubeReserved.json", false))
                .map(config -> DynamicTest.dynamicTest(config.file(), () -> {
                    RemediationPlan plan = plan(oomKilledNode(config.file()));
                    List<Finding> findings = plan.spec().findings().stream()
                            .filter(f -> f.scenario().equals("node-oom-without-eviction-thresholds"))
                            .toList();
                    if (!config.fires()) {
                        assertThat(findings).isEmpty();
                        return;
                    }
                    assertThat(findings).singleElement().satisfies(f -> assertThat(f.evidence())
                            .anyMatch(line -> line.contains("Memory cgroup out of memory: Kill process 1012")));
                    assertThat(plan.spec()
                                    .waves()
                                    .getFirst()
                                    .actions()
                                    .getFirst()
                                    .change()
                                    .toString())
                            .contains("op=set, path=evictionHard", "path=kubeReserved", "path=systemReserved");
                }));
    }

    record KubeletConfig(String file, boolean fires) {}

    /**
     * A NotReady node under memory pressure with the OOM killer's lines from node-problem-detector's test data
     * in its kernel log and the corpus's kubelet configuration file as its --config, in a snapshot of its own.
     */
    private Path oomKilledNode(String configFile) throws IOException {
        Path snapshot = Files.createDirectories(scratch.resolve(configFile));
        String path =
                configFile.endsWith(".json") ? "/etc/kubernetes/kubelet/config.json" : "/var/lib/kubelet/config.yaml";
        Files.writeString(snapshot.resolve("nodes.yaml"), """
                apiVersion: v1
                kind: Node
                metadata: {name: n1, creationTimestamp: "2026-01-01T00:00:00Z"}
                status:
                  capacity: {cpu: "4", memory: 16Gi}
                  conditions:
                  - {type: MemoryPressure, status: "True", reason: KubeletHasInsufficientMemory}
                  - {type: Ready, status: "False", reason: KubeletNotReady, message: "PLEG is not healthy"}
                  nodeInfo: {kubeletVersion: v1.29.0}
                """);
        Map<String, Object> facts = Map.of(
                "apiVersion", SnapshotReader.API_VERSION,
                "kind", "NodeFacts",
                "metadata", Map.of("name", "n1"),
                "files",
                        List.of(Map.of(
                                "path",
                                path,
                                "content",
                                Files.readString(
                                        CORPUS.resolve("kubelet-configs").resolve(configFile)))),
                "kubelet", Map.of("version", "v1.29.0", "flags", List.of("--config=" + path)),
                "logs",
                        Map.of(
                                "kernel",
                                Files.readAllLines(CORPUS.resolve(
                                        "node-problem-detector/kernel_log_generator_problems/oom_kill"))));
        Files.writeString(snapshot.resolve("nodefacts-n1.json"), new ObjectMapper().writeValueAsString(facts));
        return snapshot;
    }

    private static List<String> critical(RemediationPlan plan) {
        return plan.spec().findings().stream()
                .filter(f -> f.severity() == Severity.CRITICAL)
                .map(f -> f.scenario() + ": " + f.summary())
                .toList();
    }

    private static RemediationPlan plan(Path snapshot) {
        return new Planner(KnowledgeBase.load(RepoPaths.knowledgeBase()), new TimefoldWavePlanner())
                .plan(new SnapshotReader().read(snapshot, snapshot.toString()), PlanOptions.defaults());
    }
}
