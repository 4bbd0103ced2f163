package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.live.Kubeconfigs;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code plan} and {@code snapshot} against a mock API server, chosen through a kubeconfig with two contexts. */
@EnableKubernetesMockClient(crud = true)
class LiveCommandsTest {

    KubernetesClient client;

    @TempDir
    Path dir;

    private Path kubeconfig;

    @BeforeEach
    void cluster() {
        kubeconfig = Kubeconfigs.write(dir, client.getMasterUrl().toString());
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
    }

    @Test
    void snapshotWritesWhatPlanThenReads() throws Exception {
        Path out = dir.resolve("snap");
        Run snapshot = run(
                "snapshot",
                "--kubeconfig",
                kubeconfig.toString(),
                "--context",
                "mock",
                "-A",
                "--output-dir",
                out.toString());

        assertThat(snapshot.exit).as(snapshot.err).isZero();
        assertThat(snapshot.err).contains("Wrote " + out, "from context mock");
        assertThat(out.resolve("cluster/nodes.yaml")).exists();
        assertThat(Files.readString(out.resolve("snapshot-info.yaml"))).contains("context: mock");

        Run plan = run("plan", "--snapshot", out.toString(), "-q");
        assertThat(plan.exit).as(plan.err).isZero();
        assertThat(plan.out).contains("context: mock");
    }

    @Test
    void planReadsTheContextItIsGiven() {
        Run plan = run("plan", "--kubeconfig", kubeconfig.toString(), "--context", "mock", "--request-timeout", "5s");

        assertThat(plan.exit).as(plan.err).isZero();
        assertThat(plan.out).contains("kind: RemediationPlan", "context: mock");
        assertThat(plan.err).contains("Read context mock: 1 node,");
    }

    @Test
    void planFailsInOneLineOnAnUnknownContext() {
        Run plan = run("plan", "--kubeconfig", kubeconfig.toString(), "--context", "nope");

        assertThat(plan.exit).isEqualTo(1);
        assertThat(plan.err.strip())
                .doesNotContain("\n")
                .startsWith("error: The context (nope) is not in " + kubeconfig)
                .contains("Maybe one of [mock, elsewhere]");
    }

    @Test
    void planFailsInOneLineWhenTheCurrentContextIsUnreachable() {
        Run plan = run("plan", "--kubeconfig", kubeconfig.toString(), "--request-timeout", "2s");

        assertThat(plan.exit).isEqualTo(1);
        assertThat(plan.err.strip())
                .doesNotContain("\n")
                .startsWith("error: The API server (https://127.0.0.1:1/) cannot be reached");
    }

    @Test
    void rejectsAMalformedRequestTimeout() {
        Run plan = run("plan", "--kubeconfig", kubeconfig.toString(), "--request-timeout", "soon");

        assertThat(plan.exit).isEqualTo(2);
        assertThat(plan.err).contains("The --request-timeout value (soon) is not a duration");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = RemedyCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        Run run = new Run(exit, out.toString(), err.toString());
        if (exit != 0) {
            System.out.println("stdout:\n" + run.out + "\nstderr:\n" + run.err);
        }
        return run;
    }

    private record Run(int exit, String out, String err) {}
}
