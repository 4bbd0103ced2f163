package dev.remedy.risks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.facts.SnapshotReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report of each fixture, byte for byte, against its approved file under {@code risks/golden/}. Run with
 * {@code -Dremedy.approve=true} to write the files after checking the change by eye.
 */
class RiskReportGoldenTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "replicas-on-one-node",
                "etcd-two-zones",
                "capacity-below-largest-node",
                "budget-allows-no-eviction",
                "probe-below-latency",
                "probe-below-latency-three-members",
                "api-server-on-one-node",
                "first-fit-misses-a-packing"
            })
    void theReportMatchesItsApprovedFile(String fixture) throws IOException {
        var snapshot = new SnapshotReader().read(RepoPaths.testResource("risks/" + fixture), "risks/" + fixture);
        String report = RiskReportYaml.yaml(new RiskPlanner(2).report(snapshot, Instant.parse("2026-01-01T00:00:00Z")));
        Path golden = RepoPaths.testResource("risks/golden/" + fixture + ".yaml");
        if (Boolean.getBoolean("remedy.approve")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, report);
        }

        assertThat(report).isEqualTo(Files.readString(golden));
    }

    @org.junit.jupiter.api.Test
    void everyOutageKindFiresInSomeApprovedReport() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(RepoPaths.testResource("risks/golden"))) {
            for (Path file : files.sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        for (Outage.Kind kind : Outage.Kind.values()) {
            assertThat(all.toString())
                    .as("no fixture under risks/ makes " + kind + " fire; add one and its golden report")
                    .contains("kind: " + kind + "\n");
        }
    }
}
