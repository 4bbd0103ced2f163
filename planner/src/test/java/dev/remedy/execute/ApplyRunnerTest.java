package dev.remedy.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.derived.Facts;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Wave;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ApplyRunnerTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    @TempDir
    Path dir;

    private final FakeNodes nodes = new FakeNodes();
    private final StringWriter output = new StringWriter();

    /** Node files in memory; records the scripts it was asked to run and can fail once. */
    static final class FakeNodes implements NodeActions {
        final Map<String, String> files = new HashMap<>();
        final List<String> ran = new ArrayList<>();
        String failOnce;

        @Override
        public String run(PlannedAction action, String script) {
            if (action.id().equals(failOnce)) {
                failOnce = null;
                throw new ExecutionException("the facts pod on " + action.node() + " could not start");
            }
            ran.add(action.id());
            return action.id() + " ran";
        }

        @Override
        public Optional<String> read(String node, String path) {
            return Optional.ofNullable(files.get(node + ":" + path));
        }
    }

    @BeforeEach
    void cluster() throws InterruptedException {
        client.nodes().withName("n1").delete();
        client.apps().deployments().inNamespace("prod").withName("flannel-like").delete();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("n1")
                        .endMetadata()
                        .build())
                .create();
        client.apps()
                .deployments()
                .inNamespace("prod")
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("flannel-like")
                        .withNamespace("prod")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .endSpec()
                        .build())
                .create();
        nodes.files.put("n1:/etc/cni/net.d/10-flannel.conflist", "{}");
        drainRequests();
    }

    private RemediationPlan plan() {
        String rv = deployment().getMetadata().getResourceVersion();
        PlannedAction cordon = action(
                "A1", ActionType.CordonNode, null, new ObjectRef("Node", null, "n1", null), null, List.of(), List.of());
        PlannedAction scale = action(
                "A2",
                ActionType.ScaleWorkload,
                null,
                new ObjectRef("Deployment", "prod", "flannel-like", null),
                Map.of("replicas", 0),
                List.of(Map.of("resourceVersion", rv)),
                List.of());
        PlannedAction move = action(
                "A3",
                ActionType.MoveNodeFile,
                "/etc/cni/net.d/10-flannel.conflist",
                null,
                Map.of("within", "/etc/cni/net.d"),
                List.of(Map.of("fileSha256", Facts.sha256("{}"))),
                List.of("A2"));
        PlannedAction upgrade = action(
                "A4",
                ActionType.Manual,
                null,
                null,
                Map.of("instructions", "upgrade the kubelet", "verify", "kubectl get node n1"),
                List.of(),
                List.of("A1"));
        PlannedAction uncordon = action(
                "A5",
                ActionType.UncordonNode,
                null,
                new ObjectRef("Node", null, "n1", null),
                null,
                List.of(),
                List.of("A4"));
        return RemediationPlan.of(
                new RemediationPlan.Metadata("remedy-test", "2026-01-01T00:00:00Z"),
                new RemediationPlan.Spec(
                        new RemediationPlan.Source("snap", null, "f", null, null, List.of()),
                        List.of(),
                        List.of(
                                new Wave(1, List.of(cordon, scale)),
                                new Wave(2, List.of(move, upgrade)),
                                new Wave(3, List.of(uncordon))),
                        List.of()));
    }

    private static PlannedAction action(
            String id,
            ActionType type,
            String path,
            ObjectRef target,
            Map<String, Object> change,
            List<Map<String, Object>> preconditions,
            List<String> after) {
        return new PlannedAction(
                id,
                type,
                "n1",
                path,
                target,
                change,
                preconditions,
                after,
                List.of("F1"),
                Risk.LOW,
                "because",
                List.of());
    }

    private ApplyRunner.Outcome apply(RemediationPlan plan, DryRun dryRun, boolean resume) {
        return new ApplyRunner(
                        plan,
                        Journal.of(dir.resolve("plan.yaml")),
                        new ApiActions(client),
                        nodes,
                        (check, timeout) -> Checks.Result.passed("ok"),
                        question -> true,
                        new PrintWriter(output),
                        new ApplyRunner.Settings(dryRun, true, resume, Duration.ofSeconds(1)),
                        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .run();
    }

    private static Deployment deployment() {
        return client.apps()
                .deployments()
                .inNamespace("prod")
                .withName("flannel-like")
                .get();
    }

    private static boolean cordoned() {
        var spec = client.nodes().withName("n1").get().getSpec();
        return spec != null && Boolean.TRUE.equals(spec.getUnschedulable());
    }

    private static List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    @Test
    void aServerDryRunSendsDryRunAllOnEveryWriteAndChangesNothing() throws InterruptedException {
        RemediationPlan plan = plan();
        drainRequests();

        ApplyRunner.Outcome outcome = apply(plan, DryRun.server, false);

        List<RecordedRequest> writes = drainRequests().stream()
                .filter(r -> !r.getMethod().equals("GET"))
                .toList();
        assertThat(outcome).as(output.toString()).isEqualTo(ApplyRunner.Outcome.DRY_RUN_PASSED);
        assertThat(writes)
                .extracting(RecordedRequest::getMethod)
                .containsOnly("PATCH")
                .hasSize(3);
        // The mock server's CRUD mode ignores dryRun, so the requests, not the objects, show that nothing would
        // change: every write carries dryRun=All, which a real API server never persists.
        assertThat(writes).allSatisfy(r -> assertThat(r.getPath()).contains("dryRun=All"));
        assertThat(nodes.ran).as("node scripts are printed, not run").isEmpty();
        assertThat(output.toString()).contains("would run on n1:", "mv \"$file\" \"$backup\"", "upgrade the kubelet");
        assertThat(dir.resolve("plan.yaml.journal.yaml"))
                .as("a dry run journals nothing")
                .doesNotExist();
    }

    @Test
    void applyingForRealChangesTheClusterAndPausesAtTheManualStep() {
        ApplyRunner.Outcome outcome = apply(plan(), DryRun.none, false);

        assertThat(outcome).as(output.toString()).isEqualTo(ApplyRunner.Outcome.PAUSED);
        assertThat(cordoned()).isTrue();
        assertThat(deployment().getSpec().getReplicas()).isZero();
        assertThat(nodes.ran).containsExactly("A3");
        assertThat(output.toString()).contains("PAUSED after wave 2", "kubectl remedy apply --resume");
    }

    @Test
    void aResumeConfirmsTheManualStepAndFinishesAndASecondApplyDoesNothing() throws InterruptedException {
        RemediationPlan plan = plan();
        apply(plan, DryRun.none, false);
        drainRequests();

        ApplyRunner.Outcome resumed = apply(plan, DryRun.none, true);
        List<RecordedRequest> writes = drainRequests().stream()
                .filter(r -> !r.getMethod().equals("GET"))
                .toList();
        ApplyRunner.Outcome again = apply(plan, DryRun.none, true);

        assertThat(resumed).as(output.toString()).isEqualTo(ApplyRunner.Outcome.FINISHED);
        assertThat(writes).as("only the uncordon of wave 3 is written").hasSize(1);
        assertThat(cordoned()).isFalse();
        assertThat(again).isEqualTo(ApplyRunner.Outcome.NOTHING_TO_DO);
    }

    @Test
    void aResourceVersionChangedSincePlanningStopsBeforeTheFirstWrite() throws InterruptedException {
        RemediationPlan plan = plan();
        client.apps().deployments().inNamespace("prod").withName("flannel-like").edit(d -> new DeploymentBuilder(d)
                .editMetadata()
                .addToLabels("touched", "yes")
                .endMetadata()
                .build());
        drainRequests();

        ApplyRunner.Outcome outcome = apply(plan, DryRun.none, false);

        assertThat(outcome).as(output.toString()).isEqualTo(ApplyRunner.Outcome.STOPPED_STALE);
        assertThat(drainRequests()).extracting(RecordedRequest::getMethod).containsOnly("GET");
        assertThat(cordoned()).as("nothing of the wave was touched").isFalse();
        assertThat(output.toString()).contains("A2: Deployment prod/flannel-like changed since planning");
    }

    @Test
    void aResumeAfterAFailureInWaveTwoDoesNotRepeatWaveOne() throws InterruptedException, IOException {
        RemediationPlan plan = plan();
        nodes.failOnce = "A3";

        ApplyRunner.Outcome failed = apply(plan, DryRun.none, false);
        drainRequests();
        ApplyRunner.Outcome withoutResume = apply(plan, DryRun.none, false);
        ApplyRunner.Outcome resumed = apply(plan, DryRun.none, true);

        assertThat(failed).isEqualTo(ApplyRunner.Outcome.STOPPED_FAILED);
        assertThat(withoutResume)
                .as("a journal exists: --resume is needed")
                .isEqualTo(ApplyRunner.Outcome.STOPPED_FAILED);
        assertThat(resumed).as(output.toString()).isEqualTo(ApplyRunner.Outcome.PAUSED);
        assertThat(drainRequests())
                .filteredOn(r -> !r.getMethod().equals("GET"))
                .as("wave 1 is not written again")
                .isEmpty();
        assertThat(nodes.ran).containsExactly("A3");
        assertThat(Files.readString(dir.resolve("plan.yaml.journal.yaml")))
                .contains(
                        "action: A1\n  status: done",
                        "action: A3\n  status: failed",
                        "could not start",
                        "action: A3\n  status: done",
                        "rollback: \"on n1: mv /var/lib/kubectl-remedy/backup/remedy-test/A3");
    }

    @Test
    void aChangedNodeFileStopsTheWaveBeforeAnythingRuns() {
        RemediationPlan plan = plan();
        nodes.files.put("n1:/etc/cni/net.d/10-flannel.conflist", "{\"changed\": 1}");
        apply(plan, DryRun.none, false);

        assertThat(output.toString()).contains("A3: n1:/etc/cni/net.d/10-flannel.conflist changed since planning");
        assertThat(nodes.ran).isEmpty();
    }
}
