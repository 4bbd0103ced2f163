package dev.remedy.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class ReviewCommandTest {

    private static final Path NRE = RepoPaths.plans().resolve("nre-labs-2018");

    @TestFactory
    Stream<DynamicTest> theReviewOfEveryExamplePlanIsItsGoldenText() throws IOException {
        List<Path> examples;
        try (Stream<Path> dirs = Files.list(RepoPaths.plans())) {
            examples = dirs.filter(d -> Files.isRegularFile(d.resolve("review.txt")))
                    .sorted()
                    .toList();
        }
        assertThat(examples).extracting(p -> p.getFileName().toString()).contains("nre-labs-2018");
        return examples.stream()
                .map(example -> DynamicTest.dynamicTest(example.getFileName().toString(), () -> {
                    String snapshot = "plans/" + example.getFileName() + "/snapshot";
                    CliRun run = CliRun.of(
                            "review",
                            example.resolve("plan.yaml").toString(),
                            "--snapshot",
                            RepoPaths.root().resolve(snapshot).toString());
                    assertThat(run.out()
                                    .replace(RepoPaths.root().resolve(snapshot).toString(), snapshot))
                            .as("%s/review.txt is stale. Maybe run plans/regenerate and review the diff.", example)
                            .isEqualTo(Files.readString(example.resolve("review.txt")));
                }));
    }

    @Test
    void aCurrentSafePlanExitsZeroAndExplainsEveryBoundary() {
        CliRun run = CliRun.of(
                "review",
                NRE.resolve("plan.yaml").toString(),
                "--snapshot",
                NRE.resolve("snapshot").toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("SAFE: the verifier finds no broken rule")
                .contains("CURRENT: the facts are the ones the plan was made from.")
                .contains(
                        "why a new wave: A3 DrainNode cannot join wave 1: action A3 in wave 1 must come after A2, which is in"
                                + " wave 1")
                .contains("-      timeoutSeconds: 15\n", "+      timeoutSeconds: 33\n")
                .doesNotContain("\u001B[");
    }

    @Test
    void aFileChangedSincePlanningMakesThePlanStale(@TempDir Path dir) throws IOException {
        Path changed = copy(NRE.resolve("snapshot"), dir);
        Path facts = changed.resolve("nodefacts-antidote-controller-4m3j.yaml");
        Files.writeString(facts, Files.readString(facts).replace("failureThreshold: 8", "failureThreshold: 9"));

        CliRun run = CliRun.of("review", NRE.resolve("plan.yaml").toString(), "--snapshot", changed.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out())
                .contains("STALE: 1 targets changed since planning")
                .contains("A1: antidote-controller-4m3j:/etc/kubernetes/manifests/etcd.yaml changed (sha256"
                        + " ab2f5b71345c then, ");
    }

    @Test
    void aChangeElsewhereKeepsThePlanCurrentButSaysSo(@TempDir Path dir) throws IOException {
        Path changed = copy(NRE.resolve("snapshot"), dir);
        Path pods = changed.resolve("pods-prod.yaml");
        Files.writeString(pods, Files.readString(pods) + "\n# a comment changes the bytes only\n");

        CliRun run = CliRun.of(
                "review", NRE.resolve("plan.yaml").toString(), "--snapshot", changed.toString(), "-o", "yaml");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("stale: false", "the facts changed (sha256 3a244f3f50c5 then, ");
    }

    @Test
    void aHandMadeUnsafePlanIsCalledUnsafe(@TempDir Path dir) throws IOException {
        Path plan = dir.resolve("plan.yaml");
        // Uncordon in the same wave as the drain it must follow.
        Files.writeString(
                plan,
                Files.readString(NRE.resolve("plan.yaml"))
                        .replace("  - index: 4\n    actions:\n    - id: A5", "    - id: A5"));

        CliRun run = CliRun.of("review", plan.toString(), "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out())
                .contains("\"safe\" : false", "action A5 in wave 3 must come after A4, which is in wave 3");
    }

    @Test
    void aPlanWithAnUnknownFieldIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, Files.readString(NRE.resolve("plan.yaml")).replace("    risk: low", "    risky: low"));

        CliRun run = CliRun.of("review", plan.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("error: The plan file (" + plan + ") line ")
                .contains("is not a plan");
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
