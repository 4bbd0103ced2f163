package dev.remedy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanVerifierTest {

    private final Snapshot cluster = cluster();
    private final PlanVerifier verifier = new PlanVerifier(2);

    @Test
    void acceptsASafePlan() {
        RemediationPlan plan = plan(
                List.of(editEtcd("A1", "m1"), drain("A2", "n1")), List.of(editEtcd("A3", "m2"), drain("A4", "n2")));

        assertThat(verifier.verify(plan, cluster)).isEmpty();
    }

    @Test
    void rejectsTwoEtcdMembersInOneWave() {
        RemediationPlan plan = plan(List.of(editEtcd("A1", "m1"), editEtcd("A2", "m2")));

        assertThat(verifier.verify(plan, cluster))
                .containsExactly(
                        "wave 1 disrupts etcd members m1 and m2: 1 of 3 would stay healthy, a majority needs 2");
    }

    @Test
    void aMemberRemovedInAnEarlierWaveStaysRemoved() {
        PlannedAction remove = new PlannedAction(
                "A1",
                ActionType.EtcdMemberRemove,
                null,
                null,
                null,
                Map.of("member", "m3"),
                List.of(),
                List.of(),
                List.of("FA1"),
                Risk.MEDIUM,
                "",
                List.of());
        RemediationPlan plan = plan(List.of(remove), List.of(editEtcd("A2", "m1")));

        assertThat(verifier.verify(plan, cluster))
                .containsExactly("wave 2 disrupts etcd member m1: 1 of 2 would stay healthy, a majority needs 2");
    }

    @Test
    void aLearnerDoesNotCountAsAVoter() {
        PlannedAction learner = new PlannedAction(
                "A1",
                ActionType.EtcdMemberAdd,
                null,
                null,
                null,
                Map.of("member", "m4", "learner", true),
                List.of(),
                List.of(),
                List.of("FA1"),
                Risk.MEDIUM,
                "",
                List.of());
        PlannedAction voter = new PlannedAction(
                "A1",
                ActionType.EtcdMemberAdd,
                null,
                null,
                null,
                Map.of("member", "m4"),
                List.of(),
                List.of(),
                List.of("FA1"),
                Risk.MEDIUM,
                "",
                List.of());

        assertThat(verifier.verify(plan(List.of(learner), List.of(editEtcd("A2", "m1"))), cluster))
                .isEmpty();
        assertThat(verifier.verify(plan(List.of(voter, editEtcd("A2", "m1"))), cluster))
                .containsExactly(
                        "wave 1 disrupts etcd member m1 and adds a voting etcd member: 2 of 4 would stay healthy, a majority needs 3");
        assertThat(verifier.verify(plan(List.of(voter), List.of(editEtcd("A2", "m1"))), cluster))
                .as("confirmed healthy before the next wave")
                .isEmpty();
    }

    @Test
    void restartsKubeApiserversOneAtATime() {
        RemediationPlan twoAtOnce =
                plan(List.of(editApiserver("A1", "m1"), editApiserver("A2", "m2")), List.of(editApiserver("A3", "m3")));
        RemediationPlan rolling = plan(
                List.of(editApiserver("A1", "m1")),
                List.of(editApiserver("A2", "m2")),
                List.of(editApiserver("A3", "m3")));
        PlanVerifier lenient = new PlanVerifier(3);

        assertThat(lenient.verify(twoAtOnce, cluster))
                .containsExactly("wave 1 restarts 2 of 3 kube-apiservers (m1, m2): they are restarted one at a time");
        assertThat(lenient.verify(rolling, cluster)).isEmpty();
    }

    @Test
    void rejectsABudgetExceeded() {
        RemediationPlan plan = plan(List.of(drain("A1", "n1"), drain("A2", "n2")));

        assertThat(verifier.verify(plan, cluster))
                .containsExactly("wave 1 disrupts 2 pods of PodDisruptionBudget shop/web, which allows 1 at once");
    }

    @Test
    void rejectsMoreNodesThanTheBlastRadius() {
        RemediationPlan plan = plan(List.of(reboot("A1", "n3"), reboot("A2", "n4"), reboot("A3", "m3")));

        assertThat(verifier.verify(plan, cluster))
                .containsExactly(
                        "wave 1 has 3 nodes out of service (m3, n3, n4): at most 2 may be unavailable at once");
    }

    @Test
    void rejectsDisplacedPodsThatDoNotFit() {
        RemediationPlan plan = plan(List.of(reboot("A1", "n3"), reboot("A2", "n4")));
        PlanVerifier verifierOfSmallCluster = new PlanVerifier(2);

        assertThat(verifierOfSmallCluster.verify(plan, tightCluster()))
                .containsExactly(
                        "wave 1 displaces pods from n3, n4 that do not fit, by requests, on the nodes that stay up");
    }

    @Test
    void rejectsTwoActionsOnOneTarget() {
        RemediationPlan plan = plan(List.of(editEtcd("A1", "m1"), editEtcd("A2", "m1")));

        assertThat(verifier.verify(plan, cluster))
                .contains("wave 1 acts twice on file m1:/etc/kubernetes/manifests/etcd.yaml");
    }

    @Test
    void rejectsARebootBeforeItsDrain() {
        RemediationPlan plan = plan(List.of(reboot("A1", "n3")), List.of(drain("A2", "n3")));

        assertThat(verifier.verify(plan, cluster))
                .containsExactly("action A1 (RebootNode) in wave 1 must come after A2 (DrainNode) in wave 2: drain a"
                        + " node before rebooting or upgrading it");
    }

    @Test
    void aDockerRestartDisruptsThePodsOfItsNodeButAKubeletRestartDoesNot() {
        RemediationPlan docker = plan(List.of(restart("A1", "n1", "docker", "kubelet"), drain("A2", "n2")));
        RemediationPlan kubelet = plan(List.of(restart("A1", "n1", "kubelet"), drain("A2", "n2")));
        RemediationPlan containerd = plan(List.of(restart("A1", "n1", "containerd", "kubelet"), drain("A2", "n2")));

        assertThat(verifier.verify(docker, cluster))
                .containsExactly("wave 1 disrupts 2 pods of PodDisruptionBudget shop/web, which allows 1 at once");
        assertThat(verifier.verify(kubelet, cluster)).isEmpty();
        assertThat(verifier.verify(containerd, cluster)).isEmpty();
    }

    @Test
    void aDockerOrCriORestartRestartsTheStaticControlPlanePodsOfItsNode() {
        PlanVerifier lenient = new PlanVerifier(3);
        RemediationPlan plan = plan(List.of(restart("A1", "m1", "docker"), restart("A2", "m2", "crio")));

        assertThat(lenient.verify(plan, cluster))
                .containsExactly(
                        "wave 1 disrupts etcd members m1 and m2: 1 of 3 would stay healthy, a majority needs 2",
                        "wave 1 restarts 2 of 3 kube-apiservers (m1, m2): they are restarted one at a time");
        assertThat(lenient.verify(
                        plan(List.of(restart("A1", "m1", "kubelet"), restart("A2", "m2", "kubelet"))), cluster))
                .isEmpty();
    }

    @Test
    void rejectsARestartThatNamesNoServices() {
        PlannedAction singular = new PlannedAction(
                "A1",
                ActionType.RestartNodeService,
                "n1",
                null,
                null,
                Map.of("service", "docker"),
                List.of(),
                List.of(),
                List.of("FA1"),
                Risk.MEDIUM,
                "",
                List.of());

        assertThat(verifier.verify(plan(List.of(singular)), cluster))
                .containsExactly("action A1 (RestartNodeService) names no services to restart (change.services)");
    }

    @Test
    void rejectsACniConfigMovedInTheWaveThatPausesItsDaemonSet() {
        PlannedAction pause = pause("A1", Map.of("remedy.dev/paused", "true"));
        PlannedAction move = moveCalicoConfig("A2", "n1");

        assertThat(verifier.verify(plan(List.of(pause, move)), cniCluster()))
                .containsExactly("action A2 (MoveNodeFile) in wave 1 must come after A1 (PatchResource) in wave 1:"
                        + " pause the unused CNI DaemonSet (no pods left) before moving CNI config files");
        assertThat(verifier.verify(plan(List.of(pause), List.of(move)), cniCluster()))
                .isEmpty();
    }

    @Test
    void aNodeSelectorThatANodeCarriesDoesNotPauseTheCniDaemonSet() {
        PlannedAction stillRunning = pause("A1", Map.of("pool", "a"));
        PlannedAction move = moveCalicoConfig("A2", "n1");

        assertThat(verifier.verify(plan(List.of(stillRunning, move)), cniCluster()))
                .isEmpty();
        assertThat(verifier.explain(
                        plan(List.of(pause("A1", Map.of("remedy.dev/paused", "true"))), List.of(move)), cniCluster()))
                .containsExactly("wave 2 starts a new wave because A2 MoveNodeFile cannot join wave 1: action A2"
                        + " (MoveNodeFile) in wave 1 must come after A1 (PatchResource) in wave 1: pause the unused CNI"
                        + " DaemonSet (no pods left) before moving CNI config files");
    }

    @Test
    void explainsWhichRuleSplitTheWaves() {
        RemediationPlan plan = plan(List.of(editEtcd("A1", "m1")), List.of(editEtcd("A2", "m2")));

        assertThat(verifier.explain(plan, cluster))
                .containsExactly("wave 2 starts a new wave because A2 EditNodeFile cannot join wave 1: wave 1"
                        + " disrupts etcd members m1 and m2: 1 of 3 would stay healthy, a majority needs 2");
    }

    @SafeVarargs
    private static RemediationPlan plan(List<PlannedAction>... waves) {
        return plan("wave", waves);
    }

    @SafeVarargs
    private static RemediationPlan plan(String unused, List<PlannedAction>... waves) {
        List<Wave> list = new ArrayList<>();
        for (List<PlannedAction> actions : waves) {
            list.add(new Wave(list.size() + 1, actions));
        }
        return RemediationPlan.of(
                new RemediationPlan.Metadata("test", "2026-01-01T00:00:00Z"),
                new RemediationPlan.Spec(null, List.of(), list, List.of()));
    }

    private static PlannedAction action(String id, ActionType type, String node, String path) {
        ObjectRef target = path == null ? new ObjectRef("Node", null, node, node) : null;
        return new PlannedAction(
                id,
                type,
                node,
                path,
                target,
                Map.of(),
                List.of(),
                List.of(),
                List.of("F" + id),
                Risk.LOW,
                "",
                List.of());
    }

    private static PlannedAction editEtcd(String id, String node) {
        return action(id, ActionType.EditNodeFile, node, "/etc/kubernetes/manifests/etcd.yaml");
    }

    private static PlannedAction editApiserver(String id, String node) {
        return action(id, ActionType.EditNodeFile, node, "/etc/kubernetes/manifests/kube-apiserver.yaml");
    }

    private static PlannedAction drain(String id, String node) {
        return action(id, ActionType.DrainNode, node, null);
    }

    private static PlannedAction restart(String id, String node, String... services) {
        return new PlannedAction(
                id,
                ActionType.RestartNodeService,
                node,
                null,
                null,
                Map.of("services", List.of(services)),
                List.of(),
                List.of(),
                List.of("F" + id),
                Risk.MEDIUM,
                "",
                List.of());
    }

    private static PlannedAction reboot(String id, String node) {
        return action(id, ActionType.RebootNode, node, null);
    }

    private static PlannedAction pause(String id, Map<String, String> nodeSelector) {
        return new PlannedAction(
                id,
                ActionType.PatchResource,
                null,
                null,
                new ObjectRef("DaemonSet", "kube-system", "calico-node", null),
                Map.of(
                        "type",
                        "strategic",
                        "patch",
                        Map.of("spec", Map.of("template", Map.of("spec", Map.of("nodeSelector", nodeSelector))))),
                List.of(),
                List.of(),
                List.of("F" + id),
                Risk.LOW,
                "",
                List.of());
    }

    private static PlannedAction moveCalicoConfig(String id, String node) {
        return new PlannedAction(
                id,
                ActionType.MoveNodeFile,
                node,
                "/etc/cni/net.d/10-calico.conflist",
                null,
                Map.of("to", "/etc/cni/net.d.disabled/10-calico.conflist", "within", "/etc/cni/net.d"),
                List.of(),
                List.of(),
                List.of("F" + id),
                Risk.MEDIUM,
                "",
                List.of());
    }

    /** Nodes n1, n2 labelled pool=a, and the calico-node DaemonSet writing into /etc/cni/net.d. */
    private static Snapshot cniCluster() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String node : List.of("n1", "n2")) {
            objects.add(new NodeBuilder()
                    .withNewMetadata()
                    .withName(node)
                    .withLabels(Map.of("pool", "a"))
                    .endMetadata()
                    .withNewStatus()
                    .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi")))
                    .endStatus()
                    .build());
        }
        objects.add(new DaemonSetBuilder()
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName("calico-node")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewVolume()
                .withName("cni-net-dir")
                .withNewHostPath()
                .withPath("/etc/cni/net.d")
                .endHostPath()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build());
        return new Snapshot(
                "test", "0123456789abcdef", objects, List.of(), Optional.empty(), Optional.empty(), List.of());
    }

    private static Snapshot cluster() {
        return snapshot("16", "64Gi");
    }

    private static Snapshot tightCluster() {
        return snapshot("1", "2Gi");
    }

    private static Snapshot snapshot(String cpu, String memory) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String node : List.of("m1", "m2", "m3", "n1", "n2", "n3", "n4")) {
            objects.add(new NodeBuilder()
                    .withNewMetadata()
                    .withName(node)
                    .endMetadata()
                    .withNewStatus()
                    .withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
                    .endStatus()
                    .build());
            if (node.startsWith("m")) {
                objects.add(pod("kube-system", "kube-apiserver-" + node, "kube-apiserver", node, "900m"));
            } else if (node.equals("n1") || node.equals("n2")) {
                objects.add(pod("shop", "web-" + node, "web", node, "900m"));
            } else {
                objects.add(pod("shop", "batch-" + node, "batch", node, "900m"));
            }
        }
        objects.add(new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withNewMaxUnavailable(1)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .endSpec()
                .build());
        List<EtcdFacts.Member> members = List.of(
                new EtcdFacts.Member("m1", null, null, null, true, true, false, null, null, null, null, null),
                new EtcdFacts.Member("m2", null, null, null, true, false, false, null, null, null, null, null),
                new EtcdFacts.Member("m3", null, null, null, true, false, false, null, null, null, null, null));
        return new Snapshot(
                "test",
                "0123456789abcdef",
                objects,
                List.of(),
                Optional.of(new EtcdFacts("remedy.dev/v1alpha1", EtcdFacts.KIND, FactsMetadata.named("etcd"), members)),
                Optional.empty(),
                List.of());
    }

    private static HasMetadata pod(String namespace, String name, String container, String node, String cpu) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(Map.of("app", container))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withContainers(new ContainerBuilder()
                        .withName(container)
                        .withNewResources()
                        .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity("512Mi")))
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
}
