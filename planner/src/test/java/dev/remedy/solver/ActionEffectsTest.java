package dev.remedy.solver;

import static dev.remedy.solver.TimefoldWavePlannerTest.etcd;
import static dev.remedy.solver.TimefoldWavePlannerTest.nodes;
import static dev.remedy.solver.TimefoldWavePlannerTest.pod;
import static dev.remedy.solver.TimefoldWavePlannerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.Risk;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionEffectsTest {

    private final ClusterModel cluster = ClusterModel.of(snapshot(objects(), etcd(true, true, true)), 2);

    @Test
    void restartingTheKubeletKeepsTheNodesContainersRunning() {
        Alternative alternative = effects(restart("m1", "kubelet"));

        assertThat(alternative.nodeOutages()).singleElement().satisfies(o -> {
            assertThat(o.node().cpuMillis()).as("pods stay on the node").isZero();
        });
        assertThat(alternative.evictions()).isEmpty();
        assertThat(alternative.etcdOutages()).isEmpty();
        assertThat(alternative.apiserverOutages()).isEmpty();
        assertThat(alternative.disruptedPods()).isZero();
    }

    @Test
    void restartingDockerRestartsEveryPodOfTheNodeInPlace() {
        Alternative alternative = effects(restart("m1", "docker", "kubelet"));

        assertThat(alternative.nodeOutages()).singleElement().satisfies(o -> {
            assertThat(o.node().cpuMillis())
                    .as("restarted in place, no room needed elsewhere")
                    .isZero();
        });
        assertThat(alternative.evictions())
                .singleElement()
                .satisfies(e -> assertThat(e.budget().name()).isEqualTo("shop/web"));
        assertThat(alternative.etcdOutages())
                .extracting(Alternative.EtcdOutage::member)
                .containsExactly("m1");
        assertThat(alternative.apiserverOutages())
                .extracting(Alternative.ApiserverOutage::node)
                .containsExactly("m1");
        assertThat(alternative.disruptedPods()).isEqualTo(1);
    }

    @Test
    void restartingCriODisruptsPodsLikeDocker() {
        assertThat(effects(restart("m1", "crio")).apiserverOutages()).hasSize(1);
        assertThat(effects(restart("m1", "cri-o.service")).evictions()).hasSize(1);
    }

    @Test
    void restartingContainerdKeepsContainersRunningThroughItsShims() {
        Alternative alternative = effects(restart("m1", "containerd", "kubelet"));

        assertThat(alternative.evictions()).isEmpty();
        assertThat(alternative.etcdOutages()).isEmpty();
        assertThat(alternative.apiserverOutages()).isEmpty();
    }

    @Test
    void aRuntimeRestartBeforeADrainDisruptsTheBudgetTwice() {
        Alternative alternative = effects(restart("m1", "docker"), TimefoldWavePlannerTest.drain("m1"));

        assertThat(alternative.evictions())
                .extracting(Alternative.Eviction::offset)
                .containsExactly(0, 1);
    }

    private Alternative effects(Match.Action... actions) {
        return ActionEffects.alternative("F1", "remedy", Risk.MEDIUM, List.of(actions), cluster);
    }

    private static Match.Action restart(String node, String... services) {
        return new Match.Action(
                ActionType.RestartNodeService,
                node,
                null,
                null,
                Map.of("services", List.of(services)),
                List.of(),
                List.of(),
                Risk.MEDIUM,
                "restart");
    }

    private static List<HasMetadata> objects() {
        List<HasMetadata> objects = new ArrayList<>(nodes("m1", "m2", "m3"));
        objects.add(pod("web-1", "m1"));
        objects.add(new PodBuilder()
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName("kube-apiserver-m1")
                .withAnnotations(Map.of("kubernetes.io/config.mirror", "x"))
                .endMetadata()
                .withNewSpec()
                .withNodeName("m1")
                .withContainers(
                        new ContainerBuilder().withName("kube-apiserver").build())
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build());
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
        return objects;
    }
}
