package dev.remedy.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.plan.ActionType;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.Risk;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node pod as sent to the API server, its result, and its cleanup. */
@EnableKubernetesMockClient(crud = true)
class PodNodeActionsTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private final ExecutorService kubelet = Executors.newSingleThreadExecutor();
    private final List<Pod> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        kubelet.shutdownNow();
    }

    /** Plays the kubelet: records the pod it finds, then reports its container terminated with {@code exitCode}. */
    private void kubeletFinishesWith(int exitCode, String log) {
        kubelet.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (Pod pod : client.pods().inNamespace("kube-system").list().getItems()) {
                    if (pod.getStatus() == null
                            || pod.getStatus().getContainerStatuses() == null
                            || pod.getStatus().getContainerStatuses().isEmpty()) {
                        seen.add(pod);
                        server.expect()
                                .get()
                                .withPath("/api/v1/namespaces/kube-system/pods/"
                                        + pod.getMetadata().getName() + "/log?pretty=false")
                                .andReturn(200, log)
                                .always();
                        client.pods()
                                .inNamespace("kube-system")
                                .resource(new PodBuilder(pod)
                                        .withNewStatus()
                                        .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                                        .withContainerStatuses(new ContainerStatusBuilder()
                                                .withName("remedy")
                                                .withNewState()
                                                .withNewTerminated()
                                                .withExitCode(exitCode)
                                                .endTerminated()
                                                .endState()
                                                .build())
                                        .endStatus()
                                        .build())
                                .updateStatus();
                    }
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return null;
        });
    }

    private PodNodeActions actions() {
        return new PodNodeActions(client, "kube-system", "busybox:1.36", Duration.ofSeconds(10), Duration.ofMillis(20));
    }

    private static PlannedAction move() {
        return new PlannedAction(
                "A7",
                ActionType.MoveNodeFile,
                "node-1",
                "/etc/cni/net.d/10-flannel.conflist",
                null,
                Map.of("within", "/etc/cni/net.d"),
                List.of(Map.of("fileSha256", "x")),
                List.of(),
                List.of("F1"),
                Risk.LOW,
                "because",
                List.of());
    }

    @Test
    void runsTheScriptInAPrivilegedPodPinnedToTheNodeAndDeletesIt() {
        kubeletFinishesWith(0, "A7: moved\n");

        String output = actions().run(move(), "echo moved");

        assertThat(output).isEqualTo("A7: moved\n");
        assertThat(seen).hasSize(1);
        Pod pod = seen.get(0);
        assertThat(pod.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> assertThat(t.getOperator())
                .isEqualTo("Exists"));
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getContainers().get(0).getCommand())
                .containsExactly("chroot", "/host", "bash", "-c", "echo moved");
        assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getPrivileged())
                .isTrue();
        assertThat(pod.getSpec().getVolumes())
                .singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/"));
        assertThat(client.pods().inNamespace("kube-system").list().getItems())
                .as("deleted afterwards")
                .isEmpty();
    }

    @Test
    void aScriptThatFindsItsTargetChangedIsStaleAndThePodIsStillDeleted() {
        kubeletFinishesWith(NodeScript.STALE, "A7: /etc/cni/net.d/10-flannel.conflist changed since planning\n");

        assertThatThrownBy(() -> actions().run(move(), "exit 3"))
                .isInstanceOf(StaleTargetException.class)
                .hasMessageContaining("changed since planning");
        assertThat(client.pods().inNamespace("kube-system").list().getItems()).isEmpty();
    }

    @Test
    void readsAreUnprivilegedWithTheHostMountedReadOnly() {
        kubeletFinishesWith(0, "e30K\n");

        assertThat(actions().read("node-1", "/etc/cni/net.d/10-calico.conflist"))
                .contains("{}\n");
        Pod pod = seen.get(0);
        assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getPrivileged())
                .isFalse();
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts().get(0).getReadOnly())
                .isTrue();
        assertThat(pod.getSpec().getHostPID()).isFalse();
    }
}
