package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.live.Kubeconfigs;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code risks} against a mock API server: the live read is the one {@code plan} makes. */
@EnableKubernetesMockClient(crud = true)
class RisksLiveTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    private Path kubeconfig;

    @BeforeEach
    void cluster() {
        kubeconfig = Kubeconfigs.write(dir, client.getMasterUrl().toString());
        for (String name : new String[] {"worker-1", "worker-2"}) {
            client.resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withNewStatus()
                            .addToAllocatable("cpu", new Quantity("2"))
                            .addToAllocatable("memory", new Quantity("4Gi"))
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create();
        }
        client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("lonely")
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("worker-1")
                        .addNewContainer()
                        .withName("main")
                        .withImage("busybox:1.36")
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
    }

    @Test
    void risksReadsTheContextItIsGivenAndFindsTheBarePodAtRisk() {
        CliRun run =
                CliRun.of("risks", "--kubeconfig", kubeconfig.toString(), "--context", "mock", "-A", "--depth", "1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("kind: RiskReport", "context: mock");
        assertThat(run.err())
                .contains("Read context mock: 2 nodes, 1 pod")
                .contains("node-loss/worker-1 -> NoReadyReplica Pod default/lonely")
                .doesNotContain("note: only some namespaces");
        assertThat(run.out()).contains("nothing recreates it; run it under a Deployment with at least 2 replicas");
    }
}
