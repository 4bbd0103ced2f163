package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.benchmark.ClusterGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {

    private static final String NRE =
            RepoPaths.plans().resolve("nre-labs-2018/snapshot").toString();

    @Test
    void helpNamesTheCommandAsKubectlRemedy() {
        CliRun run = CliRun.of("plan", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: kubectl remedy plan").contains("--snapshot=PATH", "--output-file");
    }

    @Test
    void aWrongFlagIsOneLineAndExitCodeTwo() {
        CliRun run = CliRun.of("plan", "--snapshot", NRE, "--colour");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: Unknown option: '--colour'. Maybe see 'kubectl remedy plan --help'.\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingSnapshotIsOneLineAndExitCodeOne() {
        CliRun run = CliRun.of("plan", "--snapshot", "/no/such/snapshot");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: The snapshot path (/no/such/snapshot) does not exist.")
                .contains("Maybe"));
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void malformedInputNamesTheFileAndLineWithoutAStackTrace(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pods.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n");

        CliRun run = CliRun.of("plan", "--snapshot", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("error: The snapshot file (" + dir + "/pods.yaml) line ")
                .doesNotContain("\tat ");
    }

    @Test
    void aBrokenKnowledgeBaseIsOneLineAndExitCodeOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("demo.yaml"), "id: demo\nseverty: critical\n");

        CliRun run = CliRun.of("plan", "--snapshot", NRE, "--knowledge-base", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("error: The knowledge-base file (demo.yaml)");
    }

    @Test
    void withBothBrokenTheSnapshotIsTheErrorReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("demo.yaml"), "id: demo\nseverty: critical\n");

        // The knowledge base is compiled while the snapshot is read; which fails first must not matter.
        CliRun run = CliRun.of("plan", "--snapshot", "/no/such/snapshot", "--knowledge-base", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("error: The snapshot path (/no/such/snapshot) does not exist.");
    }

    @Test
    void writesYamlToStdoutAndASummaryToStderr() {
        CliRun run = CliRun.of("plan", "--snapshot", NRE);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("apiVersion: remedy.dev/v1alpha1\nkind: RemediationPlan\n");
        assertThat(run.err())
                .contains(
                        "4 nodes, 17 pods, host facts of 4 nodes, etcd facts of 1 member.",
                        "2 findings (1 critical, 1 warning)",
                        "[F1] critical static-pod-liveness-probe-too-tight",
                        "wave 1: A1 EditNodeFile antidote-controller-4m3j");
    }

    @Test
    void theSummaryOfALargePlanNamesTheFirstFindingsAndActionsAndCountsTheRest() {
        Path cluster = ClusterGenerator.writtenOnce(100);

        CliRun run = CliRun.of("plan", "--snapshot", cluster.toString(), "--now", ClusterGenerator.NOW);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> findingLines = run.err()
                .lines()
                .filter(line -> line.matches("  \\[F\\d+\\] .*"))
                .toList();
        assertThat(findingLines).hasSize(15);
        assertThat(findingLines.getFirst()).startsWith("  [F1] critical ");
        assertThat(run.err()).contains("41 findings (", "  ... 26 more in the plan.\n");
        assertThat(run.err().lines().filter(line -> line.startsWith("  wave ")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line.split(", A\\d+ ").length).isLessThanOrEqualTo(6))
                .anySatisfy(line -> assertThat(line).matches("  wave \\d+: .*, \\.\\.\\. \\d+ more in the plan"));
    }

    @Test
    void writesJsonOrAFileOnRequest(@TempDir Path dir) throws IOException {
        CliRun json = CliRun.of("plan", "-q", "-o", "json", "--snapshot", NRE);
        Path file = dir.resolve("out/plan.yaml");
        CliRun toFile = CliRun.of("plan", "-q", "--snapshot", NRE, "--output-file", file.toString());

        assertThat(json.out()).startsWith("{\n  \"apiVersion\" : \"remedy.dev/v1alpha1\"");
        assertThat(json.err()).isEmpty();
        assertThat(toFile.out()).isEmpty();
        assertThat(Files.readString(file)).startsWith("apiVersion: remedy.dev/v1alpha1");
    }

    @Test
    void nowOverridesTheSnapshotTime() {
        CliRun run = CliRun.of("plan", "-q", "--now", "2026-01-01T00:00:00Z", "--snapshot", NRE);

        assertThat(run.out()).contains("creationTimestamp: 2026-01-01T00:00:00Z");
    }

    @Test
    void scenariosListShowsTheCatalogue() {
        CliRun run = CliRun.of("scenarios", "list");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("static-pod-liveness-probe-too-tight", "critical", "NRE Labs, Dec 2018");
        // Every row's title starts in the same column, however long an incident's name is.
        var lines = run.out().lines().toList();
        int titleColumn = lines.getFirst().indexOf("TITLE");
        assertThat(lines)
                .allSatisfy(line -> assertThat(line.charAt(titleColumn - 1)).isEqualTo(' '))
                .allSatisfy(line -> assertThat(line.charAt(titleColumn)).isNotEqualTo(' '));
    }
}
