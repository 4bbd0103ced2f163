package dev.remedy.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.remedy.RepoPaths;
import dev.remedy.cli.CliRun;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.plan.Finding;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.Planner;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario has its three parts, as every kube-linter check has its fixture: the scenario file, a
 * fixture snapshot ({@code scenarios/<id>/expect.yaml} says which objects must fire and which must stay quiet
 * beside them), and a golden plan ({@code scenarios/<id>/plan.yaml}, written by plans/regenerate).
 */
class ScenarioParityTest {

    private static final Path FIXTURES = RepoPaths.testResource("scenarios");
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** {@code expect.yaml}: where the fixture snapshot is (default: {@code snapshot/} beside it), what fires. */
    record Expectation(String snapshot, List<ObjectRef> fires, List<ObjectRef> quiet) {}

    @TestFactory
    Stream<DynamicTest> everyScenarioHasAFixtureThatFiresAndStaysQuietAndAGoldenPlan() {
        return KnowledgeBase.load(RepoPaths.knowledgeBase()).scenarios().stream()
                .map(scenario -> DynamicTest.dynamicTest(scenario.id(), () -> check(scenario)));
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureBelongsToAScenario() throws IOException {
        KnowledgeBase knowledgeBase = KnowledgeBase.load(RepoPaths.knowledgeBase());
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            return dirs.sorted().toList().stream()
                    .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> assertThat(
                                    knowledgeBase.scenario(dir.getFileName().toString()))
                            .as(
                                    "fixture %s has no knowledge-base/%s.yaml. Maybe remove the fixture or add the"
                                            + " scenario.",
                                    dir, dir.getFileName())
                            .isPresent()));
        }
    }

    private static void check(Scenario scenario) throws IOException {
        Path fixture = FIXTURES.resolve(scenario.id());
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(fixture.resolve("expect.yaml"))) {
            missing.add("fixture expectations " + fixture.resolve("expect.yaml"));
        }
        if (!Files.isRegularFile(fixture.resolve("plan.yaml"))) {
            missing.add("golden plan " + fixture.resolve("plan.yaml") + " (run plans/regenerate)");
        }
        if (!missing.isEmpty()) {
            fail("Scenario " + scenario.id() + " is missing its " + String.join(" and its ", missing) + ".");
        }
        Expectation expectation = YAML.readValue(fixture.resolve("expect.yaml").toFile(), Expectation.class);
        String snapshotName = expectation.snapshot() == null
                ? RepoPaths.root().relativize(fixture.resolve("snapshot")).toString()
                : expectation.snapshot();
        Path snapshot = RepoPaths.root().resolve(snapshotName);
        if (!Files.isDirectory(snapshot)) {
            fail("Scenario " + scenario.id() + " is missing its fixture snapshot " + snapshot + ".");
        }
        assertThat(expectation.fires())
                .as("%s: expect.yaml names no object that fires", scenario.id())
                .isNotEmpty();
        assertThat(expectation.quiet())
                .as("%s: expect.yaml names no object that must stay quiet", scenario.id())
                .isNotEmpty();

        RemediationPlan plan = new Planner(KnowledgeBase.load(RepoPaths.knowledgeBase()), new TimefoldWavePlanner())
                .plan(new SnapshotReader().read(snapshot, snapshotName), PlanOptions.defaults());
        List<String> subjects = plan.spec().findings().stream()
                .filter(f -> f.scenario().equals(scenario.id()))
                .map(Finding::subject)
                .map(ScenarioParityTest::key)
                .toList();
        assertThat(subjects)
                .as("%s fires on", scenario.id())
                .containsAll(expectation.fires().stream()
                        .map(ScenarioParityTest::key)
                        .toList())
                .doesNotContainAnyElementsOf(expectation.quiet().stream()
                        .map(ScenarioParityTest::key)
                        .toList());

        CliRun run = CliRun.of("plan", "--quiet", "--snapshot", snapshot.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().replace(snapshot.toString(), snapshotName))
                .as("%s is stale. Maybe run plans/regenerate and review the diff.", fixture.resolve("plan.yaml"))
                .isEqualTo(Files.readString(fixture.resolve("plan.yaml")));
    }

    private static String key(ObjectRef ref) {
        return ref.kind() + " " + (ref.namespace() == null ? "" : ref.namespace() + "/") + ref.name();
    }
}
