package dev.remedy.facts.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotContent;
import dev.remedy.facts.SnapshotInfo.CollectionProblem;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.facts.SnapshotWriter;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.PlanYaml;
import dev.remedy.plan.Planner;
import dev.remedy.solver.TimefoldWavePlanner;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class LiveCollectorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path kubeconfigDir;

    @Test
    void collectsEveryKindThePlannerReads() {
        List<HasMetadata> created = List.of(
                new NodeBuilder()
                        .withNewMetadata()
                        .withName("cp1")
                        .endMetadata()
                        .build(),
                pod("kube-system", "etcd-cp1"),
                pod("default", "web-1"),
                new DeploymentBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("web")
                        .endMetadata()
                        .build(),
                new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("web-1")
                        .endMetadata()
                        .build(),
                new DaemonSetBuilder()
                        .withNewMetadata()
                        .withNamespace("kube-system")
                        .withName("kube-proxy")
                        .endMetadata()
                        .build(),
                new StatefulSetBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("db")
                        .endMetadata()
                        .build(),
                new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("web")
                        .endMetadata()
                        .build(),
                new EndpointsBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("web")
                        .endMetadata()
                        .build(),
                new EndpointSliceBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("web-abc")
                        .endMetadata()
                        .withAddressType("IPv4")
                        .build(),
                new PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("web")
                        .endMetadata()
                        .build(),
                new EventBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("web.1")
                        .endMetadata()
                        .build(),
                new ConfigMapBuilder()
                        .withNewMetadata()
                        .withNamespace("kube-system")
                        .withName("kubeadm-config")
                        .endMetadata()
                        .build(),
                new ConfigMapBuilder()
                        .withNewMetadata()
                        .withNamespace("kube-system")
                        .withName("unrelated")
                        .endMetadata()
                        .build(),
                new ConfigMapBuilder()
                        .withNewMetadata()
                        .withNamespace("other")
                        .withName("cluster-autoscaler-status")
                        .endMetadata()
                        .build());
        created.forEach(o -> client.resource(o).create());

        SnapshotContent content = collect(allNamespaces());

        assertThat(content.objects())
                .extracting(o -> o.getKind() + " " + o.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "Node cp1",
                        "Pod etcd-cp1",
                        "Pod web-1",
                        "Deployment web",
                        "ReplicaSet web-1",
                        "DaemonSet kube-proxy",
                        "StatefulSet db",
                        "Service web",
                        "Endpoints web",
                        "EndpointSlice web-abc",
                        "PodDisruptionBudget web",
                        "Event web.1",
                        "ConfigMap kubeadm-config");
        assertThat(content.info().collected())
                .contains("pods (all namespaces): 2", "configmap kube-system/kubeadm-config")
                .contains("configmap kube-system/cluster-autoscaler-status (absent)");
        assertThat(content.info().context()).isEqualTo("mock");
        assertThat(content.info().collectedAt()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void readsTheNamespaceAskedForAndKubeSystemOnly() {
        client.resource(pod("kube-system", "etcd-cp1")).create();
        client.resource(pod("team-a", "api")).create();
        client.resource(pod("team-b", "api")).create();

        SnapshotContent content = collect(
                new ClusterTarget(Optional.empty(), Optional.empty(), Optional.of("team-a"), false, Optional.empty()));

        assertThat(content.objects())
                .extracting(o ->
                        o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .containsExactly("kube-system/etcd-cp1", "team-a/api");
    }

    @Test
    void readsListsPageByPageWithContinue() {
        server.expect()
                .get()
                .withPath("/api/v1/pods?limit=2")
                .andReturn(
                        200,
                        new PodListBuilder()
                                .withNewMetadata()
                                .withContinue("page-2")
                                .endMetadata()
                                .withItems(pod("a", "p1"), pod("a", "p2"))
                                .build())
                .once();
        server.expect()
                .get()
                .withPath("/api/v1/pods?continue=page-2&limit=2")
                .andReturn(
                        200,
                        new PodListBuilder()
                                .withNewMetadata()
                                .endMetadata()
                                .withItems(pod("b", "p3"))
                                .build())
                .once();

        CollectionLog log = new CollectionLog();
        List<HasMetadata> objects =
                new ApiCollector(client, List.of(), 2, Duration.ofSeconds(5), Progress.NONE).collect(log);

        assertThat(objects)
                .filteredOn(o -> o.getKind().equals("Pod"))
                .extracting(o -> o.getMetadata().getName())
                .containsExactly("p1", "p2", "p3");
        assertThat(log.collected()).contains("pods (all namespaces): 3 in 2 pages");
        assertThat(log.problems()).isEmpty();
    }

    @Test
    void reportsAForbiddenKindAsAProblemAndStillReadsTheOthers() {
        client.resource(pod("default", "web-1")).create();
        server.expect()
                .get()
                .withPath("/apis/apps/v1/deployments?limit=500")
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage("deployments.apps is forbidden: User \"sre\" cannot list resource"
                                        + " \"deployments\" in API group \"apps\" at the cluster scope")
                                .build())
                .always();

        SnapshotContent content = collect(allNamespaces());

        assertThat(content.info().problems())
                .extracting(CollectionProblem::what)
                .containsExactly("deployments (all namespaces)");
        assertThat(content.info().problems().get(0).reason())
                .startsWith("forbidden (403): deployments.apps is forbidden")
                .contains("deploy/rbac/remedy-reader.yaml");
        assertThat(content.objects()).extracting(HasMetadata::getKind).contains("Pod");
    }

    @Test
    void reportsAKindThatTimesOutAsAProblem() {
        server.expect()
                .get()
                .delay(3, TimeUnit.SECONDS)
                .withPath("/api/v1/events?limit=500")
                .andReturn(200, new PodListBuilder().build())
                .always();

        SnapshotContent content = collect(new ClusterTarget(
                Optional.empty(), Optional.empty(), Optional.empty(), true, Optional.of(Duration.ofMillis(500))));

        assertThat(content.info().problems()).singleElement().satisfies(p -> {
            assertThat(p.what()).isEqualTo("events (all namespaces)");
            assertThat(p.reason()).contains("no answer within the request timeout (0.5 s)");
        });
    }

    @Test
    void readsKubeletConfigurationThroughTheNodeProxy() {
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("cp1")
                        .endMetadata()
                        .withNewStatus()
                        .withNewNodeInfo()
                        .withKubeletVersion("v1.30.2")
                        .endNodeInfo()
                        .endStatus()
                        .build())
                .create();
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("w1")
                        .endMetadata()
                        .build())
                .create();
        server.expect()
                .get()
                .withPath("/api/v1/nodes/cp1/proxy/configz")
                .andReturn(
                        200,
                        java.util.Map.of(
                                "kubeletconfig",
                                java.util.Map.of(
                                        "cgroupDriver", "systemd", "staticPodPath", "/etc/kubernetes/manifests")))
                .always();

        SnapshotContent content = collect(allNamespaces());

        NodeFacts cp1 = content.nodeFacts().stream()
                .filter(f -> f.nodeName().equals("cp1"))
                .findFirst()
                .orElseThrow();
        assertThat(cp1.kubelet().version()).isEqualTo("v1.30.2");
        assertThat(cp1.kubelet().config()).containsEntry("cgroupDriver", "systemd");
        assertThat(content.nodeFacts()).extracting(NodeFacts::nodeName).containsExactly("cp1");
        assertThat(content.info().problems())
                .extracting(CollectionProblem::what)
                .contains("kubelet configz of node w1");
    }

    @Test
    void plansTheSameFromTheLiveClusterAsFromItsWrittenSnapshot(@TempDir Path dir) {
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("cp1")
                        .addToLabels("node-role.kubernetes.io/control-plane", "")
                        .endMetadata()
                        .withNewStatus()
                        .withNewNodeInfo()
                        .withKubeletVersion("v1.12.1")
                        .endNodeInfo()
                        .endStatus()
                        .build())
                .create();
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("w1")
                        .endMetadata()
                        .withNewStatus()
                        .withNewNodeInfo()
                        .withKubeletVersion("v1.11.3")
                        .endNodeInfo()
                        .endStatus()
                        .build())
                .create();
        client.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("w2")
                        .endMetadata()
                        .withNewStatus()
                        .withNewNodeInfo()
                        .withKubeletVersion("v1.12.1")
                        .endNodeInfo()
                        .endStatus()
                        .build())
                .create();
        SnapshotContent content = collect(allNamespaces());
        SnapshotWriter writer = new SnapshotWriter();
        var files = writer.files(content);
        writer.write(dir, files);

        Snapshot live = new SnapshotReader().read(files, "context mock");
        Snapshot written = new SnapshotReader().read(dir, dir.toString());
        String livePlan = plan(live);
        String writtenPlan = plan(written);

        assertThat(live.fingerprint()).isEqualTo(written.fingerprint());
        assertThat(livePlan).contains("kubelet-version-skew");
        assertThat(withoutSource(livePlan)).isEqualTo(withoutSource(writtenPlan));
    }

    @Test
    void failsWithOneLineWhenTheApiServerCannotBeReached() {
        var unreachable = new ClusterConnection(
                new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                                .withMasterUrl("https://127.0.0.1:1")
                                .withRequestRetryBackoffLimit(0)
                                .build())
                        .build(),
                "gone",
                "https://127.0.0.1:1",
                "default");

        assertThatThrownBy(() -> new LiveCollector(
                                unreachable, allNamespaces(), LiveOptions.defaults(), Progress.NONE, CLOCK)
                        .collect())
                .isInstanceOf(ClusterException.class)
                .hasMessageStartingWith("The API server (https://127.0.0.1:1/) cannot be reached")
                .hasMessageContaining("Maybe check --context");
    }

    private static String plan(Snapshot snapshot) {
        return PlanYaml.yaml(
                new Planner(KnowledgeBase.bundled(), new TimefoldWavePlanner()).plan(snapshot, PlanOptions.defaults()));
    }

    private static String withoutSource(String plan) {
        return plan.replaceAll("(?m)^(\\s*snapshot:).*$", "$1 <source>");
    }

    /** Collects as the CLI does: a client configured from the target, here on the mock server's kubeconfig. */
    private SnapshotContent collect(ClusterTarget target) {
        try (var connection = ClusterConnection.open(withKubeconfig(target))) {
            return new LiveCollector(connection, target, LiveOptions.defaults(), Progress.NONE, CLOCK).collect();
        }
    }

    private ClusterTarget withKubeconfig(ClusterTarget target) {
        return new ClusterTarget(
                Optional.of(
                        Kubeconfigs.write(kubeconfigDir, client.getMasterUrl().toString())),
                target.context().or(() -> Optional.of("mock")),
                target.namespace(),
                target.allNamespaces(),
                target.requestTimeout());
    }

    private static ClusterTarget allNamespaces() {
        return new ClusterTarget(Optional.empty(), Optional.empty(), Optional.empty(), true, Optional.empty());
    }

    static io.fabric8.kubernetes.api.model.Pod pod(String namespace, String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
    }
}
