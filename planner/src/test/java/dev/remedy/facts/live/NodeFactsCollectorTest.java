package dev.remedy.facts.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.SnapshotInfo.CollectionProblem;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host-facts pods, asserted from what reaches the mock API server. */
@EnableKubernetesMockClient(crud = true)
class NodeFactsCollectorTest {

    private static final String NAMESPACE = "remedy";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void runsOneReadOnlyPodPerNodeReadsItsLogAndDeletesEveryPod() throws Exception {
        String cp1 = NodeFactsPod.name("run001", "cp1");
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + cp1 + "/log?pretty=false")
                .andReturn(
                        200,
                        "@@remedy-node-facts v1\n@@file /etc/kubernetes/pki/ca.crt\n"
                                + Base64.getEncoder().encodeToString("CERT\n".getBytes(StandardCharsets.UTF_8))
                                + "\n@@end\n@@done\n")
                .always();
        Map<String, Pod> seen = new java.util.concurrent.ConcurrentHashMap<>();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread kubelet = new Thread(() -> kubelet(cp1, seen, stop));
        kubelet.start();

        CollectionLog log = new CollectionLog();
        var options = LiveOptions.defaults().withNodeFacts(NAMESPACE);
        options = new LiveOptions(
                options.pageSize(), options.etcdTimeout(), true, NAMESPACE, "busybox:1.36", 2, Duration.ofSeconds(1));
        Map<String, NodeFacts> facts = new NodeFactsCollector(client, options, Duration.ofSeconds(5), "run001", 20)
                .collect(List.of("cp1", "w1"), log, Progress.NONE);
        stop.set(true);
        kubelet.join(5000);

        assertThat(facts).containsOnlyKeys("cp1");
        assertThat(facts.get("cp1").file("/etc/kubernetes/pki/ca.crt")).isPresent();
        assertThat(log.problems()).singleElement().satisfies(p -> {
            assertThat(p.what()).isEqualTo("host facts of node w1");
            assertThat(p.reason()).startsWith("the facts pod did not finish within 1 s");
        });
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).isEmpty();

        List<Pod> sent = new ArrayList<>(seen.values());
        assertThat(sent).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder("cp1", "w1");
        Pod pod = sent.stream()
                .filter(p -> p.getSpec().getNodeName().equals("cp1"))
                .findFirst()
                .orElseThrow();
        assertThat(pod.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(pod.getMetadata().getLabels()).containsEntry(NodeFactsPod.RUN_LABEL, "run001");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(1L);
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("busybox:1.36");
        assertThat(container.getSecurityContext().getPrivileged()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getVolumeMounts())
                .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(container.getVolumeMounts())
                .extracting(VolumeMount::getMountPath)
                .containsExactly(
                        "/host/etc/cni/net.d",
                        "/host/etc/kubernetes/manifests",
                        "/host/etc/kubernetes/pki",
                        "/host/var/lib/kubelet/config.yaml",
                        "/host/var/log");
        assertThat(pod.getSpec().getVolumes())
                .extracting(v -> v.getHostPath().getPath())
                .noneMatch(path -> path.endsWith(".key"))
                .doesNotContain("/", "/etc", "/etc/kubernetes", "/var/lib/kubelet");
        assertThat(pod.getSpec().getVolumes()).extracting(Volume::getSecret).containsOnlyNulls();
        assertThat(String.join(" ", container.getCommand())).contains("*.key) return 0", "PRIVATE KEY");
    }

    @Test
    void reportsANodeWhosePodCannotBeCreated() {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods")
                .andReturn(
                        403,
                        new io.fabric8.kubernetes.api.model.StatusBuilder()
                                .withCode(403)
                                .withMessage("pods is forbidden: User \"sre\" cannot create resource \"pods\"")
                                .build())
                .always();
        CollectionLog log = new CollectionLog();

        Map<String, NodeFacts> facts = new NodeFactsCollector(
                        client, LiveOptions.defaults().withNodeFacts(NAMESPACE), Duration.ofSeconds(5), "run002", 20)
                .collect(List.of("cp1"), log, Progress.NONE);

        assertThat(facts).isEmpty();
        assertThat(log.problems())
                .extracting(CollectionProblem::reason)
                .singleElement()
                .asString()
                .startsWith("the facts pod could not be created: forbidden (403)");
    }

    /** Plays the kubelet: records every pod the collector created and lets the one on {@code succeed} finish. */
    private void kubelet(String succeed, Map<String, Pod> seen, java.util.concurrent.atomic.AtomicBoolean stop) {
        while (!stop.get()) {
            for (Pod pod : client.pods().inNamespace(NAMESPACE).list().getItems()) {
                if (seen.putIfAbsent(pod.getMetadata().getName(), pod) == null
                        && pod.getMetadata().getName().equals(succeed)) {
                    client.pods()
                            .inNamespace(NAMESPACE)
                            .resource(new PodBuilder(pod)
                                    .withNewStatus()
                                    .withPhase("Succeeded")
                                    .endStatus()
                                    .build())
                            .updateStatus();
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
