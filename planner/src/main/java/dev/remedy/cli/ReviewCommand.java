package dev.remedy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.PlanYaml;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.review.Review;
import dev.remedy.review.ReviewText;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubectl remedy review PLAN}: the plan for a person, re-verified, and whether it is stale. */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a plan for a person: findings with evidence, waves with exact changes, why each wave boundary"
                    + " is where it is, and unresolved findings.",
            "Re-runs the verifier; with --snapshot also says what changed since planning."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:The plan is safe (and current, when facts were given).", "3:The plan is unsafe or stale."})
final class ReviewCommand implements Callable<Integer> {

    static final int UNSAFE_OR_STALE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file that `kubectl remedy plan` wrote.")
    Path planFile;

    @Option(names = "--snapshot", paramLabel = "PATH", description = "Newer facts to check the plan against.")
    Path snapshot;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (for people), yaml or json (default: ${DEFAULT-VALUE}).")
    Format output;

    @Option(
            names = "--max-unavailable-nodes",
            paramLabel = "N|P%",
            description = "The blast radius to verify against (default: as when planning).")
    String maxUnavailableNodes;

    @Override
    public Integer call() {
        RemediationPlan plan = PlanYaml.read(planFile);
        Snapshot facts = snapshot == null ? null : new SnapshotReader().read(snapshot, snapshot.toString());
        int nodes = facts == null ? 0 : facts.nodes().size();
        Review review = Review.of(
                plan,
                facts,
                new PlanOptions(Optional.empty(), Optional.ofNullable(maxUnavailableNodes)).maxUnavailableNodes(nodes));
        spec.commandLine()
                .getOut()
                .print(
                        switch (output) {
                            case text -> ReviewText.render(plan, review, colour());
                            case yaml ->
                                write(
                                        new ObjectMapper(YAMLFactory.builder()
                                                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                                                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                                                .build()),
                                        review);
                            case json ->
                                write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT), review) + "\n";
                        });
        spec.commandLine().getOut().flush();
        return review.safe() && !Boolean.TRUE.equals(review.stale()) ? 0 : UNSAFE_OR_STALE;
    }

    /** Colour only on a terminal, never with NO_COLOR (https://no-color.org) or a dumb terminal. */
    static boolean colour() {
        Map<String, String> env = System.getenv();
        return System.console() != null && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
    }

    private static String write(ObjectMapper mapper, Review review) {
        try {
            return mapper.writeValueAsString(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Output formats of a review. */
    enum Format {
        text,
        yaml,
        json
    }
}
