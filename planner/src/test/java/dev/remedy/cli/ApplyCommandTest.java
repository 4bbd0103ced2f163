package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl remedy apply} end to end on the NRE Labs plan, against a mock API server. */
@EnableKubernetesMockClient(crud = true, https = false)
class ApplyCommandTest {

    static KubernetesClient client;

    @TempDir
    Path dir;

    private Path kubeconfig;
    private Path plan;

    @BeforeEach
    void setUp() throws IOException {
        client.nodes().withName("antidote-worker-gt5t").delete();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("antidote-worker-gt5t")
                        .endMetadata()
                        .build())
                .create();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                contexts:
                - name: staging
                  context: {cluster: mock, user: tester}
                current-context: staging
                users:
                - name: tester
                  user: {token: not-a-secret}
                """.formatted(client.getMasterUrl()));
        plan = dir.resolve("plan.yaml");
        Files.copy(RepoPaths.plans().resolve("nre-labs-2018/plan.yaml"), plan);
    }

    private CliRun apply(String... extra) {
        String[] base = {
            "apply",
            plan.toString(),
            "--kubeconfig",
            kubeconfig.toString(),
            "--node-exec=script",
            "--snapshot",
            RepoPaths.plans().resolve("nre-labs-2018/snapshot").toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void theDefaultIsAServerDryRunThatChangesNothingAndPrintsEveryStep() {
        CliRun run = apply();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("Wave 1 (dry run: server):")
                .contains("A1 EditNodeFile: preconditions hold; would run on antidote-controller-4m3j:")
                .contains("would cordon node antidote-worker-gt5t")
                .contains("A4 Manual on antidote-worker-gt5t: On antidote-worker-gt5t, install kubelet v1.12.3")
                .contains("Dry run passed");
        assertThat(dir.resolve("plan.yaml.journal.yaml")).doesNotExist();
    }

    @Test
    void applyingWithoutATerminalAsksAndStopsUnlessYes() {
        CliRun run = apply("--dry-run=none");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.out()).contains("Stopped before wave 1: not confirmed. Pass --yes");
    }

    @Test
    void scriptModeWritesTheNodeScriptAndPausesUntilResumed() throws IOException {
        CliRun first = apply("--dry-run=none", "--yes");
        Path script = dir.resolve("plan.yaml.scripts/A1-antidote-controller-4m3j.sh");

        assertThat(first.exitCode()).as(first.toString()).isEqualTo(4);
        assertThat(script).exists();
        assertThat(Files.readString(script)).contains("sha256sum", "base64 -d", "/etc/kubernetes/manifests/etcd.yaml");
        assertThat(dir.resolve("plan.yaml.scripts/A1-antidote-controller-4m3j.rollback.sh"))
                .exists();
        assertThat(first.out()).contains("A2 CordonNode: cordon node antidote-worker-gt5t");
        assertThat(client.nodes()
                        .withName("antidote-worker-gt5t")
                        .get()
                        .getSpec()
                        .getUnschedulable())
                .isTrue();
    }

    @Test
    void aMissingPlanIsOneLine() {
        CliRun run = CliRun.of("apply", dir.resolve("absent.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().contains("does not exist");
    }
}
