package dev.remedy.solver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.Snapshot;
import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TimefoldWavePlannerTest {

    private final TimefoldWavePlanner planner = new TimefoldWavePlanner();

    @Test
    void plansOneEtcdMemberPerWave() {
        Snapshot snapshot = snapshot(nodes("m1", "m2", "m3"), etcd(true, true, true));
        List<SchedulingProblem.FindingOptions> findings = List.of(
                finding("F1", Severity.CRITICAL, option("relax-probe", Risk.LOW, editEtcdManifest("m1"))),
                finding("F2", Severity.CRITICAL, option("relax-probe", Risk.LOW, editEtcdManifest("m2"))),
                finding("F3", Severity.CRITICAL, option("relax-probe", Risk.LOW, editEtcdManifest("m3"))));

        Schedule schedule = planner.schedule(new SchedulingProblem(findings, snapshot, 1));

        assertThat(waves(schedule)).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void leavesAnEtcdRestartUnresolvedWhenItWouldBreakQuorum() {
        Snapshot snapshot = snapshot(nodes("m1", "m2"), etcd(true, true));
        Schedule schedule = planner.schedule(new SchedulingProblem(
                List.of(finding("F1", Severity.CRITICAL, option("relax-probe", Risk.LOW, editEtcdManifest("m1")))),
                snapshot,
                1));

        assertThat(schedule.chosenRemedy()).isEmpty();
    }

    @Test
    void rebootsSixNodesTwoAtATimeInThreeWaves() {
        List<HasMetadata> objects = new ArrayList<>();
        List<SchedulingProblem.FindingOptions> findings = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            objects.addAll(nodes("n" + i));
            findings.add(finding("F" + i, Severity.WARNING, option("reboot", Risk.MEDIUM, reboot("n" + i))));
        }
        Schedule schedule = planner.schedule(new SchedulingProblem(findings, snapshot(objects, null), 2));

        assertThat(new TreeSet<>(waves(schedule))).containsExactly(1, 2, 3);
        assertThat(schedule.chosenRemedy()).hasSize(6);
    }

    @Test
    void serialisesDrainsWhenTheBudgetAllowsOneDisruption() {
        List<HasMetadata> objects = new ArrayList<>(nodes("n1", "n2", "n3", "n4"));
        for (int i = 1; i <= 3; i++) {
            objects.add(pod("web-" + i, "n" + i));
        }
        objects.add(new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withNewMinAvailable(2)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .endSpec()
                .build());
        List<SchedulingProblem.FindingOptions> findings = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            findings.add(finding("F" + i, Severity.WARNING, option("drain", Risk.MEDIUM, drain("n" + i))));
        }
        Schedule schedule = planner.schedule(new SchedulingProblem(findings, snapshot(objects, null), 3));

        assertThat(waves(schedule)).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void prefersTheLeastInvasiveAlternative() {
        Snapshot snapshot = snapshot(nodes("m1", "m2", "m3"), etcd(true, true, true));
        Schedule schedule = planner.schedule(new SchedulingProblem(
                List.of(finding(
                        "F1",
                        Severity.CRITICAL,
                        option("remove-probe", Risk.HIGH, editEtcdManifest("m1")),
                        option("relax-probe", Risk.LOW, editEtcdManifest("m1")))),
                snapshot,
                1));

        assertThat(schedule.chosenRemedy()).containsEntry("F1", "relax-probe");
    }

    @Test
    void prefersTheMediumAlternativeOverTheHighOneOfEqualWaveCost() {
        Schedule schedule = planner.schedule(new SchedulingProblem(
                List.of(finding(
                        "F1",
                        Severity.CRITICAL,
                        option("move-aside-and-reboot", Risk.HIGH, moveStrayCni("n1"), reboot("n1")),
                        option("move-aside-and-restart", Risk.MEDIUM, moveStrayCni("n1"), restartRuntime("n1")))),
                snapshot(nodes("n1", "n2"), null),
                1));

        assertThat(schedule.chosenRemedy()).containsEntry("F1", "move-aside-and-restart");
    }

    /**
     * SourceClear's stray CNI config on three nodes, one node out at a time: restarting the runtime behind a
     * cordon and drain takes more waves than a reboot, and is still what an SRE does.
     */
    @Test
    void prefersTheMediumAlternativeEvenWhenItTakesMoreWaves() {
        List<SchedulingProblem.FindingOptions> findings = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String node = "n" + i;
            findings.add(finding(
                    "F" + i,
                    Severity.CRITICAL,
                    option(
                            "move-aside-and-restart",
                            Risk.MEDIUM,
                            onNode(ActionType.CordonNode, node),
                            moveStrayCni(node),
                            restartRuntime(node),
                            drain(node),
                            onNode(ActionType.UncordonNode, node)),
                    option("move-aside-and-reboot", Risk.HIGH, moveStrayCni(node), reboot(node))));
        }
        Schedule schedule =
                planner.schedule(new SchedulingProblem(findings, snapshot(nodes("n1", "n2", "n3", "n4"), null), 1));

        assertThat(schedule.chosenRemedy())
                .containsOnly(
                        Map.entry("F1", "move-aside-and-restart"),
                        Map.entry("F2", "move-aside-and-restart"),
                        Map.entry("F3", "move-aside-and-restart"));
    }

    @Test
    void takesTheEtcdSnapshotBeforeAnyMemberChange() {
        Snapshot snapshot = snapshot(nodes("m1", "m2", "m3"), etcd(true, true, true));
        Match.Action backup = new Match.Action(
                ActionType.EtcdSnapshot, null, null, null, Map.of(), List.of(), List.of(), Risk.LOW, "backup");
        Schedule schedule = planner.schedule(new SchedulingProblem(
                List.of(
                        finding("F1", Severity.CRITICAL, option("relax-probe", Risk.LOW, editEtcdManifest("m1"))),
                        finding("F2", Severity.WARNING, option("backup", Risk.LOW, backup))),
                snapshot,
                1));

        Schedule.Step edit = schedule.steps().stream()
                .filter(s -> s.findingId().equals("F1"))
                .findFirst()
                .orElseThrow();
        Schedule.Step snapshotStep = schedule.steps().stream()
                .filter(s -> s.findingId().equals("F2"))
                .findFirst()
                .orElseThrow();
        assertThat(snapshotStep.wave()).isLessThan(edit.wave());
        assertThat(edit.after()).containsExactly(new Schedule.StepRef("F2", 0));
    }

    @Test
    void plansTheSameInputTheSameWay() {
        List<HasMetadata> objects = new ArrayList<>();
        List<SchedulingProblem.FindingOptions> findings = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            objects.addAll(nodes("n" + i));
            findings.add(finding("F" + i, Severity.WARNING, option("reboot", Risk.MEDIUM, reboot("n" + i))));
        }
        SchedulingProblem problem = new SchedulingProblem(findings, snapshot(objects, null), 2);

        assertThat(planner.schedule(problem)).isEqualTo(planner.schedule(problem));
    }

    /**
     * Six reboots of one node need six waves (one action per target), more than the node outages over the blast
     * radius suggest, so the construction in the fewest waves reaches its last wave and the whole range is solved.
     */
    @Test
    void rebootsOneNodeOnceAWaveBeyondTheFewestWavesEstimated() {
        List<SchedulingProblem.FindingOptions> findings = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            findings.add(finding("F" + i, Severity.WARNING, option("reboot", Risk.MEDIUM, reboot("n1"))));
        }
        Schedule schedule =
                planner.schedule(new SchedulingProblem(findings, snapshot(nodes("n1", "n2", "n3"), null), 6));

        assertThat(waves(schedule)).containsExactly(1, 2, 3, 4);
        assertThat(schedule.chosenRemedy()).containsOnlyKeys("F1", "F2", "F3", "F4");
    }

    static List<Integer> waves(Schedule schedule) {
        return schedule.steps().stream().map(Schedule.Step::wave).toList();
    }

    static SchedulingProblem.FindingOptions finding(String id, Severity severity, SchedulingProblem.Option... options) {
        return new SchedulingProblem.FindingOptions(id, severity, List.of(options));
    }

    static SchedulingProblem.Option option(String remedy, Risk risk, Match.Action... actions) {
        return new SchedulingProblem.Option(remedy, risk, List.of(actions));
    }

    static Match.Action editEtcdManifest(String node) {
        return new Match.Action(
                ActionType.EditNodeFile,
                node,
                "/etc/kubernetes/manifests/etcd.yaml",
                null,
                Map.of(),
                List.of(),
                List.of(),
                Risk.LOW,
                "relax the probe");
    }

    static Match.Action reboot(String node) {
        return new Match.Action(
                ActionType.RebootNode,
                node,
                null,
                new ObjectRef("Node", null, node, node),
                Map.of(),
                List.of(),
                List.of(),
                Risk.MEDIUM,
                "reboot");
    }

    static Match.Action moveStrayCni(String node) {
        return new Match.Action(
                ActionType.MoveNodeFile,
                node,
                "/etc/cni/net.d/10-calico.conflist",
                null,
                Map.of("to", "/etc/cni/net.d.disabled/10-calico.conflist"),
                List.of(),
                List.of(),
                Risk.LOW,
                "move the stray config aside");
    }

    static Match.Action restartRuntime(String node) {
        return new Match.Action(
                ActionType.RestartNodeService,
                node,
                null,
                null,
                Map.of("services", List.of("containerd", "kubelet")),
                List.of(),
                List.of(),
                Risk.MEDIUM,
                "load the CNI config again");
    }

    static Match.Action onNode(ActionType type, String node) {
        return new Match.Action(
                type,
                node,
                null,
                new ObjectRef("Node", null, node, node),
                Map.of(),
                List.of(),
                List.of(),
                Risk.LOW,
                type.name());
    }

    static Match.Action drain(String node) {
        return new Match.Action(
                ActionType.DrainNode,
                node,
                null,
                new ObjectRef("Node", null, node, node),
                Map.of(),
                List.of(),
                List.of(),
                Risk.MEDIUM,
                "drain");
    }

    static List<HasMetadata> nodes(String... names) {
        List<HasMetadata> nodes = new ArrayList<>();
        for (String name : names) {
            nodes.add(new NodeBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewStatus()
                    .addNewAddress()
                    .withType("InternalIP")
                    .withAddress("ip-" + name)
                    .endAddress()
                    .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi")))
                    .endStatus()
                    .build());
        }
        return nodes;
    }

    static HasMetadata pod(String name, String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName(name)
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withContainers(new ContainerBuilder()
                        .withName("web")
                        .withNewResources()
                        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")))
                        .endResources()
                        .build())
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }

    static EtcdFacts etcd(boolean... healthy) {
        List<EtcdFacts.Member> members = new ArrayList<>();
        for (int i = 0; i < healthy.length; i++) {
            members.add(new EtcdFacts.Member(
                    "m" + (i + 1), null, null, null, healthy[i], i == 0, false, "3.5.9", 5.0, null, null, null));
        }
        return new EtcdFacts("remedy.dev/v1alpha1", EtcdFacts.KIND, FactsMetadata.named("etcd"), members);
    }

    static Snapshot snapshot(List<HasMetadata> objects, EtcdFacts etcd) {
        return new Snapshot(
                "test", "0123456789abcdef", objects, List.of(), Optional.ofNullable(etcd), Optional.empty(), List.of());
    }
}
