package dev.remedy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.cli.CliRun;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The worked examples in plans/ are what the planner writes today, byte for byte. */
class PlanGoldenTest {

    @TestFactory
    Stream<DynamicTest> everyExamplePlanIsWhatThePlannerWrites() throws IOException {
        List<Path> examples;
        try (Stream<Path> dirs = Files.list(RepoPaths.plans())) {
            examples = dirs.filter(d -> Files.isDirectory(d.resolve("snapshot")))
                    .sorted()
                    .toList();
        }
        assertThat(examples).as("worked examples in plans/").isNotEmpty();
        return examples.stream()
                .map(example -> DynamicTest.dynamicTest(example.getFileName().toString(), () -> {
                    String snapshot = "plans/" + example.getFileName() + "/snapshot";
                    CliRun run = CliRun.of(
                            "plan",
                            "--quiet",
                            "--snapshot",
                            RepoPaths.root().resolve(snapshot).toString());
                    assertThat(run.exitCode()).as(run.toString()).isZero();
                    String expected = Files.readString(example.resolve("plan.yaml"));
                    assertThat(run.out()
                                    .replace(RepoPaths.root().resolve(snapshot).toString(), snapshot))
                            .as("%s/plan.yaml is stale. Maybe run plans/regenerate and review the diff.", example)
                            .isEqualTo(expected);
                }));
    }

    @Test
    void theNreLabsPlanRelaxesTheEtcdProbeInTheManifestOnTheNode() {
        RemediationPlan plan = plan(RepoPaths.plans().resolve("nre-labs-2018/snapshot"));

        Finding probe = plan.spec().findings().get(0);
        assertThat(probe.scenario()).isEqualTo("static-pod-liveness-probe-too-tight");
        assertThat(probe.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(probe.subject().name()).isEqualTo("etcd-antidote-controller-4m3j");
        assertThat(probe.evidence()).anyMatch(e -> e.startsWith("restartCount 183 in 58d"));
        PlannedAction edit = plan.spec().waves().get(0).actions().get(0);
        assertThat(edit.type()).isEqualTo(ActionType.EditNodeFile);
        assertThat(edit.node()).isEqualTo("antidote-controller-4m3j");
        assertThat(edit.path()).isEqualTo("/etc/kubernetes/manifests/etcd.yaml");
        assertThat(edit.preconditions()).singleElement().satisfies(p -> assertThat(p)
                .containsKey("fileSha256"));
        assertThat(edit.risk()).isEqualTo(Risk.LOW);
        assertThat(edit.change().toString()).contains("--command-timeout=33s", "timeoutSeconds, from=15, to=33");
        assertThat(probe.alternatives())
                .extracting(Finding.Alternative::remedy, Finding.Alternative::chosen)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("relax-probe", true),
                        org.assertj.core.groups.Tuple.tuple("http-health-probe", false),
                        org.assertj.core.groups.Tuple.tuple("remove-probe", false));
    }

    @Test
    void theNreLabsPlanUpgradesTheSkewedWorkerToTheControlPlaneVersion() {
        RemediationPlan plan = plan(RepoPaths.plans().resolve("nre-labs-2018/snapshot"));

        Finding skew = plan.spec().findings().get(1);
        assertThat(skew.scenario()).isEqualTo("kubelet-version-skew");
        assertThat(skew.subject().name()).isEqualTo("antidote-worker-gt5t");
        List<ActionType> steps = plan.spec().waves().stream()
                .flatMap(w -> w.actions().stream())
                .filter(a -> a.resolves().contains(skew.id()))
                .map(PlannedAction::type)
                .toList();
        assertThat(steps)
                .containsExactly(
                        ActionType.CordonNode, ActionType.DrainNode, ActionType.Manual, ActionType.UncordonNode);
    }

    @Test
    void aRelaxedProbeProducesNoProbeFinding() {
        RemediationPlan plan = plan(RepoPaths.testResource("snapshots/nre-labs-probe-relaxed"));

        assertThat(plan.spec().findings()).isEmpty();
        assertThat(plan.spec().waves()).isEmpty();
    }

    @Test
    void aRelaxedProbeStaysQuietEvenWithTheOldRestartCountsStillOnRecord(@TempDir Path dir) throws IOException {
        Path relaxed = RepoPaths.testResource("snapshots/nre-labs-probe-relaxed");
        try (Stream<Path> files = Files.list(relaxed)) {
            for (Path file : files.toList()) {
                Files.writeString(
                        dir.resolve(file.getFileName()),
                        Files.readString(file).replace("restartCount: 0", "restartCount: 183"));
            }
        }

        assertThat(plan(dir).spec().findings())
                .extracting(Finding::scenario)
                .doesNotContain("static-pod-liveness-probe-too-tight");
    }

    @Test
    void theKubeadm116HttpGetProbeProducesNoFinding() {
        RemediationPlan plan = plan(RepoPaths.testResource("snapshots/kubeadm-1.16-httpget-probe"));

        assertThat(plan.spec().findings()).isEmpty();
    }

    @Test
    void theSamePlanIsWrittenTwice() {
        Path snapshot = RepoPaths.plans().resolve("nre-labs-2018/snapshot");

        assertThat(PlanYaml.yaml(plan(snapshot))).isEqualTo(PlanYaml.yaml(plan(snapshot)));
    }

    private static RemediationPlan plan(Path snapshot) {
        return new Planner(KnowledgeBase.bundled(), new TimefoldWavePlanner())
                .plan(new SnapshotReader().read(snapshot, snapshot.toString()), PlanOptions.defaults());
    }
}
