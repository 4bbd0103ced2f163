package dev.remedy.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ApiChecksTest {

    static KubernetesClient client;

    private ApiChecks checks;

    @BeforeEach
    void cluster() {
        client.pods().inAnyNamespace().delete();
        client.nodes().delete();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("ready")
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("down")
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("Unknown")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
        for (String name : new String[] {"etcd-ready", "etcd-ready-copy"}) {
            client.pods()
                    .inNamespace("kube-system")
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .addToLabels("component", "etcd")
                            .endMetadata()
                            .withNewSpec()
                            .withNodeName("ready")
                            .endSpec()
                            .withNewStatus()
                            .withPodIP("10.244.1.5")
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create();
        }
        checks = new ApiChecks(client, Duration.ofMillis(10));
    }

    private Checks.Result run(Map<String, Object> check) {
        return checks.run(check, Duration.ofMillis(50));
    }

    @Test
    void aReadyNodePassesAndANodeThatStaysDownFailsAfterTheTimeout() {
        assertThat(run(Map.of("check", "nodeReady", "node", "ready")).status()).isEqualTo(Checks.Status.PASSED);
        assertThat(run(Map.of("check", "nodeReady", "node", "down")))
                .satisfies(r -> assertThat(r.status()).isEqualTo(Checks.Status.FAILED))
                .satisfies(r -> assertThat(r.message()).isEqualTo("node down is not Ready after 0s"));
    }

    @Test
    void podReadinessIsReadFromItsCondition() {
        Map<String, Object> ref = Map.of("kind", "Pod", "namespace", "kube-system", "name", "etcd-ready");

        assertThat(run(Map.of("check", "podReady", "pod", ref)).status()).isEqualTo(Checks.Status.PASSED);
    }

    @Test
    void twoCopiesOfAStaticPodOnANodeFailTheCountOfOne() {
        assertThat(run(Map.of("check", "staticPodCount", "node", "ready", "component", "etcd", "equals", 1))
                        .message())
                .startsWith("2 etcd pods run on ready, 1 expected");
    }

    @Test
    void podIpsAreCheckedAgainstTheClusterCidr() {
        assertThat(ApiChecks.inCidr("10.244.1.5", "10.244.0.0/16")).isTrue();
        assertThat(ApiChecks.inCidr("172.17.0.3", "10.244.0.0/16")).isFalse();
        assertThat(ApiChecks.inCidr("10.244.1.5", "fd00::/8")).isFalse();
        assertThat(run(Map.of("check", "podIPsInCidr", "node", "ready", "cidr", "172.16.0.0/12"))
                        .message())
                .contains("outside 172.16.0.0/12", "kube-system/etcd-ready 10.244.1.5");
    }

    @Test
    void aCheckOnlyAPersonCanMakeIsSaidToBeByHand() {
        assertThat(run(Map.of("check", "etcdMemberHealthy", "member", "m2")).status())
                .isEqualTo(Checks.Status.BY_HAND);
    }
}
