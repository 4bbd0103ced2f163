package dev.remedy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SourceClear and Toolforge worked examples avoid what made those outages worse. */
class IncidentPlansTest {

    private static final String DOMAIN = ".us-west-2.compute.internal";

    private static RemediationPlan plan(String example) {
        Path snapshot = RepoPaths.plans().resolve(example + "/snapshot");
        return new Planner(KnowledgeBase.bundled(), new TimefoldWavePlanner())
                .plan(new SnapshotReader().read(snapshot, snapshot.toString()), PlanOptions.defaults());
    }

    /** The SourceClear plan after one text replacement in one snapshot file, copied to {@code dir}. */
    private static RemediationPlan planEdited(Path dir, String fileName, String from, String to) throws IOException {
        Path snapshot = RepoPaths.plans().resolve("sourceclear-2018/snapshot");
        try (Stream<Path> files = Files.list(snapshot)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                if (file.getFileName().toString().equals(fileName)) {
                    assertThat(text).contains(from);
                    text = text.replace(from, to);
                }
                Files.writeString(dir.resolve(file.getFileName()), text);
            }
        }
        return new Planner(KnowledgeBase.bundled(), new TimefoldWavePlanner())
                .plan(new SnapshotReader().read(dir, dir.toString()), PlanOptions.defaults());
    }

    private static List<PlannedAction> actions(RemediationPlan plan) {
        return plan.spec().waves().stream().flatMap(w -> w.actions().stream()).toList();
    }

    @Test
    void sourceClearMovesOnlyTheStrayCalicoConfigAndOnEveryAffectedNode() {
        List<PlannedAction> moves = actions(plan("sourceclear-2018")).stream()
                .filter(a -> a.type() == ActionType.MoveNodeFile && a.path().startsWith("/etc/cni/net.d/"))
                .toList();

        assertThat(moves).allSatisfy(a -> assertThat(a.path()).isEqualTo("/etc/cni/net.d/10-calico.conflist"));
        assertThat(moves)
                .extracting(PlannedAction::node)
                .containsExactlyInAnyOrder(
                        "ip-10-20-1-12" + DOMAIN, "ip-10-20-2-21" + DOMAIN, "ip-10-20-2-23" + DOMAIN);
        assertThat(moves)
                .allSatisfy(a -> assertThat(a.preconditions().toString()).contains("fileSha256"));
    }

    @Test
    void sourceClearNeverTouchesFlannelWhichTheClusterUses() {
        RemediationPlan plan = plan("sourceclear-2018");

        assertThat(actions(plan)).noneSatisfy(a -> assertThat(String.valueOf(a.path()) + a.target())
                .containsIgnoringCase("flannel"));
        PlannedAction pause = actions(plan).stream()
                .filter(a -> a.type() == ActionType.PatchResource)
                .findFirst()
                .orElseThrow();
        assertThat(pause.target().name()).isEqualTo("calico-node");
        assertThat(pause.preconditions().toString()).contains("resourceVersion=41277316");
    }

    @Test
    void sourceClearNamesTheNodeItCouldNotCheck() {
        assertThat(plan("sourceclear-2018").spec().findings())
                .filteredOn(f -> f.scenario().equals("stray-cni-config"))
                .allSatisfy(f -> assertThat(f.evidence())
                        .anyMatch(e -> e.startsWith("not checked, no host facts: ip-10-20-2-24" + DOMAIN)));
    }

    @Test
    void aNodeWhoseFlannelConfigWasDeletedByMistakeIsLeftToAPersonNotStrippedOfAllConfig(@TempDir Path dir)
            throws IOException {
        RemediationPlan plan = planEdited(
                dir,
                "nodefacts-ip-10-20-2-21.yaml",
                "path: /etc/cni/net.d/10-flannel.conflist",
                "path: /root/10-flannel.conflist");

        Finding stray = plan.spec().findings().stream()
                .filter(f -> f.scenario().equals("stray-cni-config")
                        && f.subject().name().equals("ip-10-20-2-21" + DOMAIN))
                .findFirst()
                .orElseThrow();
        assertThat(plan.spec().unresolved()).anyMatch(u -> u.finding().equals(stray.id()));
        assertThat(actions(plan)).noneMatch(a -> a.resolves().contains(stray.id()));
    }

    @Test
    void whenThePodCidrAndTheNodeConfigsDisagreeNeitherCniIsTouched(@TempDir Path dir) throws IOException {
        RemediationPlan plan = planEdited(
                dir, "pods-kube-system.yaml", "--cluster-cidr=10.244.0.0/16", "--cluster-cidr=10.233.64.0/18");

        assertThat(plan.spec().findings())
                .filteredOn(f -> f.scenario().equals("competing-cni-daemonsets"))
                .extracting(f -> f.subject().name())
                .containsExactlyInAnyOrder("calico-node", "kube-flannel-ds-amd64");
        assertThat(plan.spec().findings()).noneMatch(f -> f.scenario().equals("stray-cni-config"));
        assertThat(actions(plan)).noneMatch(a -> a.path() != null && a.path().startsWith("/etc/cni/"));
        assertThat(actions(plan)).noneMatch(a -> a.type() == ActionType.PatchResource);
    }

    @Test
    void sourceClearMovesEachCalicoConfigAfterTheWaveThatPausesCalico() {
        RemediationPlan plan = plan("sourceclear-2018");
        int pauseWave = waveOf(
                plan,
                a -> a.type() == ActionType.PatchResource && a.target().name().equals("calico-node"));

        assertThat(plan.spec().waves().stream()
                        .filter(w -> w.actions().stream()
                                .anyMatch(a -> a.type() == ActionType.MoveNodeFile
                                        && a.path().startsWith("/etc/cni/net.d/")))
                        .map(Wave::index))
                .isNotEmpty()
                .allSatisfy(wave -> assertThat(wave).isGreaterThan(pauseWave));
    }

    @Test
    void sourceClearsDockerNodesRestartOnlyTheKubeletWhichReadsTheCniConfig() {
        assertThat(restarts(plan("sourceclear-2018"))).hasSize(3).allSatisfy(a -> {
            assertThat(RestartedServices.of(a.change())).containsExactly("kubelet");
            assertThat(a.rationale()).contains("never by docker");
        });
    }

    @Test
    void onContainerdNodesContainerdRestartsBeforeTheKubelet(@TempDir Path dir) throws IOException {
        RemediationPlan plan = planEdited(dir, "nodes.yaml", "docker://18.6.1", "containerd://1.2.0");

        assertThat(restarts(plan)).hasSize(3).allSatisfy(a -> {
            assertThat(RestartedServices.of(a.change())).containsExactly("containerd", "kubelet");
            assertThat(a.rationale()).contains("shims keep running containers running");
        });
    }

    @Test
    void onCriONodesTheRestartSaysItDisruptsEveryPodOfTheNode(@TempDir Path dir) throws IOException {
        RemediationPlan plan = planEdited(dir, "nodes.yaml", "docker://18.6.1", "cri-o://1.11.10");

        assertThat(restarts(plan)).hasSize(3).allSatisfy(a -> {
            assertThat(RestartedServices.of(a.change())).containsExactly("crio", "kubelet");
            assertThat(a.rationale()).contains("restarts every container on " + a.node() + " in place");
        });
    }

    private static List<PlannedAction> restarts(RemediationPlan plan) {
        return actions(plan).stream()
                .filter(a -> a.type() == ActionType.RestartNodeService)
                .toList();
    }

    private static int waveOf(RemediationPlan plan, Predicate<PlannedAction> which) {
        return plan.spec().waves().stream()
                .filter(w -> w.actions().stream().anyMatch(which))
                .mapToInt(Wave::index)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void sourceClearKeepsTheManifestsTheRunningPodsMatch() {
        List<PlannedAction> moves = actions(plan("sourceclear-2018")).stream()
                .filter(a -> a.type() == ActionType.MoveNodeFile && a.path().startsWith("/etc/kubernetes/manifests/"))
                .toList();

        assertThat(moves).hasSize(5).allSatisfy(a -> assertThat(a.path()).endsWith(".manifest"));
    }

    @Test
    void toolforgeSwapsTheCaPinsItInPuppetAndLeavesTheSlowEtcdMemberAlone() {
        RemediationPlan plan = plan("toolforge-2019");

        assertThat(plan.spec().findings()).extracting(Finding::scenario).containsExactly("apiserver-etcd-ca-mismatch");
        assertThat(plan.spec().findings().get(0).evidence()).anyMatch(e -> e.contains("exact name but another key"));
        assertThat(actions(plan))
                .extracting(PlannedAction::type)
                .containsExactly(ActionType.EditNodeFile, ActionType.Manual)
                .doesNotContain(ActionType.EtcdMemberRemove, ActionType.EtcdMemberAdd);
        assertThat(actions(plan).get(0).path()).isEqualTo("/var/lib/puppet/ssl/certs/ca.pem");
    }
}
