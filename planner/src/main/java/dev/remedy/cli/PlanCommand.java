package dev.remedy.cli;

import dev.remedy.Background;
import dev.remedy.Counts;
import dev.remedy.facts.Snapshot;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.plan.Finding;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.PlanYaml;
import dev.remedy.plan.Planner;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Severity;
import dev.remedy.plan.Wave;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kubectl remedy plan}: facts in, a verified YAML plan out, and a short summary for the person. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the cluster of the current context (or a snapshot), finds what is broken and plans its repair in"
                    + " safe waves.",
            "The plan goes to stdout (or --output-file); a short summary goes to stderr."
        })
final class PlanCommand implements Callable<Integer> {

    /** How many findings, and actions per wave, the summary names; the plan itself holds them all. */
    private static final int SHOWN_FINDINGS = 15;

    private static final int SHOWN_ACTIONS_PER_WAVE = 6;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    FactsSource source;

    @Mixin
    OutputOptions output;

    @Option(
            names = "--now",
            paramLabel = "TIME",
            description = "Plan as of this RFC 3339 time (default: the snapshot's collection time, else now).")
    String now;

    @Option(
            names = "--max-unavailable-nodes",
            paramLabel = "N|P%",
            description = "Nodes that may be disrupted at once (default: 1 up to 10 nodes, else 10%%).")
    String maxUnavailableNodes;

    @Option(
            names = "--knowledge-base",
            paramLabel = "DIR",
            description = "Use the scenarios in DIR instead of the bundled knowledge base.")
    Path knowledgeBase;

    @Option(
            names = {"-q", "--quiet"},
            description = "No summary on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        // Compiling the scenarios' CEL takes a second of a cold start: it happens while the snapshot is read. A
        // snapshot that cannot be read is still the error reported, as when one came after the other.
        Background<KnowledgeBase> scenarios = Background.start(
                "knowledge-base",
                () -> knowledgeBase == null ? KnowledgeBase.bundled() : KnowledgeBase.load(knowledgeBase));
        Snapshot facts = source.read(quiet);
        RemediationPlan plan = new Planner(scenarios.join(), new TimefoldWavePlanner())
                .plan(facts, new PlanOptions(parseNow(), Optional.ofNullable(maxUnavailableNodes)));
        output.write(output.json() ? PlanYaml.json(plan) : PlanYaml.yaml(plan));
        if (!quiet) {
            summarize(facts, plan, spec.commandLine().getErr());
        }
        return 0;
    }

    private Optional<Instant> parseNow() {
        if (now == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(now));
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "The --now value (" + now + ") is not an RFC 3339 time, e.g. 2018-12-04T23:10:00Z");
        }
    }

    private void summarize(Snapshot facts, RemediationPlan plan, PrintWriter err) {
        var findings = plan.spec().findings();
        long critical =
                findings.stream().filter(f -> f.severity() == Severity.CRITICAL).count();
        long warning =
                findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
        int actions =
                plan.spec().waves().stream().mapToInt(w -> w.actions().size()).sum();
        err.printf(
                "Read %s: %s, %s, host facts of %s, %s.%n",
                facts.source(),
                Counts.of(facts.nodes().size(), "node"),
                Counts.of(facts.pods().size(), "pod"),
                Counts.of(facts.nodeFacts().size(), "node"),
                facts.etcd()
                        .map(e -> "etcd facts of " + Counts.of(e.members().size(), "member"))
                        .orElse("no etcd facts"));
        if (facts.partial()) {
            err.printf(
                    "PARTIAL: %d parts were not read or collected; see spec.source.notes.%n",
                    plan.spec().source().notes().size());
        }
        err.printf("%s (%d critical, %d warning):%n", Counts.of(findings.size(), "finding"), critical, warning);
        // A summary, not the plan: on a large cluster the plan holds thousands of findings and actions.
        for (Finding finding : findings.subList(0, Math.min(findings.size(), SHOWN_FINDINGS))) {
            err.printf(
                    "  [%s] %-8s %s: %s%n",
                    finding.id(), finding.severity().yaml(), finding.scenario(), finding.summary());
        }
        if (findings.size() > SHOWN_FINDINGS) {
            err.printf("  ... %d more in the plan.%n", findings.size() - SHOWN_FINDINGS);
        }
        err.printf(
                "Plan %s: %s, %s, %d unresolved.%n",
                plan.metadata().name(),
                Counts.of(plan.spec().waves().size(), "wave"),
                Counts.of(actions, "action"),
                plan.spec().unresolved().size());
        for (Wave wave : plan.spec().waves()) {
            List<String> shown = wave.actions().stream()
                    .limit(SHOWN_ACTIONS_PER_WAVE)
                    .map(a -> a.id() + " " + a.type() + (a.node() != null ? " " + a.node() : "")
                            + (a.target() != null ? " " + a.target() : ""))
                    .toList();
            int more = wave.actions().size() - shown.size();
            err.printf(
                    "  wave %d: %s%s%n",
                    wave.index(), String.join(", ", shown), more > 0 ? ", ... " + more + " more in the plan" : "");
        }
        err.flush();
    }
}
