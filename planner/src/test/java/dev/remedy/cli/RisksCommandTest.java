package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import org.junit.jupiter.api.Test;

class RisksCommandTest {

    private static final String ONE_NODE =
            RepoPaths.testResource("risks/replicas-on-one-node").toString();

    @Test
    void writesTheRiskReportToStdoutAndASummaryToStderr() {
        CliRun run = CliRun.of("risks", "--snapshot", ONE_NODE);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .startsWith("apiVersion: remedy.dev/v1alpha1\nkind: RiskReport\n")
                .contains("kind: RemediationPlan", "type: PatchResource", "topologySpreadConstraints");
        assertThat(run.err())
                .contains("3 nodes, 3 pods, 3 zones")
                .contains("[R2] critical medium node-loss/worker-a -> NoReadyReplica Deployment shop/web")
                .contains("after it, 0 risks remain");
    }

    @Test
    void writesJsonWithDashOJson() {
        CliRun run = CliRun.of("risks", "--snapshot", ONE_NODE, "--depth", "1", "-o", "json", "-q");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("{").contains("\"kind\" : \"RiskReport\"");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aDepthBeyondTwoIsAUsageError() {
        CliRun run = CliRun.of("risks", "--snapshot", ONE_NODE, "--depth", "3");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: The --depth value (3) is not supported. Maybe use 1 or 2.");
    }

    @Test
    void aMissingManifestIsOneLineAndExitCodeOne() {
        CliRun run = CliRun.of("risks", "--snapshot", ONE_NODE, "-f", "/no/such/manifest.yaml");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: The manifest (/no/such/manifest.yaml) does not exist."));
    }
}
