package dev.remedy.cli;

import dev.remedy.Counts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotInfo;
import dev.remedy.risks.ProposedChange;
import dev.remedy.risks.RiskPlanner;
import dev.remedy.risks.RiskReport;
import dev.remedy.risks.RiskReportYaml;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kubectl remedy risks}: which events (node, zone, etcd member, control-plane restart, probe kill,
 * autoscaler scale-down, drain) would turn the cluster into an outage, and the plan that prevents it.
 */
@Command(
        name = "risks",
        mixinStandardHelpOptions = true,
        description = {
            "Simulates failure events on the cluster of the current context (or a snapshot), reports the smallest"
                    + " event sets that cause an outage, and plans their prevention.",
            "With -f, reports only the risks that applying the manifest would add.",
            "The report goes to stdout (or --output-file); a short summary goes to stderr."
        })
final class RisksCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    FactsSource source;

    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE",
            description = "A manifest to evaluate before it is applied: report only the risks it adds.")
    Path manifest;

    @Option(
            names = "--depth",
            paramLabel = "N",
            defaultValue = "2",
            description = "Simultaneous events per set: 1 or 2 (default: ${DEFAULT-VALUE}).")
    int depth;

    @Mixin
    OutputOptions output;

    @Option(
            names = "--now",
            paramLabel = "TIME",
            description = "Analyse as of this RFC 3339 time (default: the snapshot's collection time, else now).")
    String now;

    @Option(
            names = {"-q", "--quiet"},
            description = "No summary on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        if (depth < 1 || depth > 2) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "The --depth value (" + depth + ") is not supported. Maybe use 1 or 2");
        }
        if (source.live() && !source.cluster.allNamespaces && !quiet) {
            // Pods of unread namespaces still use node capacity: without -A, spare room looks larger than it is.
            spec.commandLine()
                    .getErr()
                    .println("note: only some namespaces are read; pods elsewhere are not counted against node"
                            + " capacity. Maybe add -A for a whole-cluster analysis.");
        }
        Snapshot facts = source.read(quiet);
        Instant at = at(facts);
        RiskPlanner planner = new RiskPlanner(depth);
        RiskReport report =
                manifest == null ? planner.report(facts, at) : planner.reportChange(facts, readManifest(), at);
        output.write(output.json() ? RiskReportYaml.json(report) : RiskReportYaml.yaml(report));
        if (!quiet) {
            summarize(facts, report, spec.commandLine().getErr());
        }
        return 0;
    }

    private ProposedChange readManifest() {
        if (!Files.exists(manifest)) {
            throw new UserException(
                    "The manifest (" + manifest + ") does not exist. Maybe check the path given to" + " -f.");
        }
        return ProposedChange.read(manifest);
    }

    private Instant at(Snapshot facts) {
        String text =
                now != null ? now : facts.info().map(SnapshotInfo::collectedAt).orElse(null);
        if (text == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "The time (" + text + ") is not an RFC 3339 time, e.g. 2018-12-04T23:10:00Z");
        }
    }

    private static void summarize(Snapshot facts, RiskReport report, PrintWriter err) {
        var analysis = report.spec().analysis();
        var risks = report.spec().risks() == null
                ? java.util.List.<RiskReport.ReportedRisk>of()
                : report.spec().risks();
        err.printf(
                "Read %s: %s, %s, %s.%n",
                facts.source(),
                Counts.of(analysis.nodes(), "node"),
                Counts.of(analysis.pods(), "pod"),
                Counts.of(analysis.zones(), "zone"));
        err.printf(
                "Simulated %d events and %d of %d event pairs (depth %d)%s.%n",
                analysis.events(),
                analysis.pairsEvaluated(),
                analysis.possiblePairs(),
                analysis.depth(),
                analysis.change() == null ? "" : "; only risks added by " + analysis.change());
        long verified = risks.stream().filter(r -> r.prevention().verified()).count();
        err.printf("%d risks, %d prevented and verified by re-simulation:%n", risks.size(), verified);
        risks.stream()
                .limit(15)
                .forEach(r -> err.printf(
                        "  [%s] %-8s %-6s %s -> %s%s%n",
                        r.id(),
                        r.severity().yaml(),
                        r.likelihood().yaml(),
                        String.join(
                                " + ",
                                r.events().stream()
                                        .map(RiskReport.EventView::id)
                                        .toList()),
                        String.join(", ", r.outages().stream().map(o -> o.key()).toList()),
                        r.prevention().verified() ? "" : " (not prevented)"));
        if (risks.size() > 15) {
            err.printf("  ... %d more in the report.%n", risks.size() - 15);
        }
        var plan = report.spec().prevention();
        err.printf(
                "Prevention plan %s: %d waves, %d actions, %d unresolved; after it, %d risks remain.%n",
                plan.metadata().name(),
                plan.spec().waves().size(),
                plan.spec().waves().stream().mapToInt(w -> w.actions().size()).sum(),
                plan.spec().unresolved().size(),
                report.spec().afterPrevention().risks());
        err.flush();
    }
}
