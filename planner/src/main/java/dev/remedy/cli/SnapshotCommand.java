package dev.remedy.cli;

import dev.remedy.Counts;
import dev.remedy.facts.SnapshotContent;
import dev.remedy.facts.SnapshotInfo;
import dev.remedy.facts.SnapshotWriter;
import dev.remedy.facts.live.ClusterConnection;
import dev.remedy.facts.live.LiveCollector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kubectl remedy snapshot}: writes exactly what {@code plan} would read from the cluster, so the facts of
 * an incident outlive the cluster's repair and {@code plan --snapshot DIR} later gives the same plan.
 */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = {
            "Captures the facts of the cluster in the current context into a snapshot directory.",
            "Secrets are written without data, env values from Secrets are dropped, tokens and private keys are"
                    + " never written.",
            "The directory must be new or empty."
        })
final class SnapshotCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LiveCollectionOptions collection;

    @Option(names = "--output-dir", paramLabel = "DIR", required = true, description = "Where to write the snapshot.")
    Path outputDir;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress line and no summary on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        var target = cluster.target();
        PrintWriter err = spec.commandLine().getErr();
        SnapshotContent content;
        try (ClusterConnection connection = ClusterConnection.open(target)) {
            content = new LiveCollector(
                            connection, target, collection.options(), Terminal.progress(quiet, err), Clock.systemUTC())
                    .collect();
        }
        SnapshotWriter writer = new SnapshotWriter();
        SortedMap<String, byte[]> files = writer.files(content);
        writer.write(outputDir, files);
        if (!quiet) {
            SnapshotInfo info = content.info();
            err.printf(
                    "Wrote %s: %s from context %s at %s, %s, host facts of %s, %s.%n",
                    outputDir,
                    Counts.of(files.size(), "file"),
                    info.context(),
                    info.collectedAt(),
                    Counts.of(content.objects().size(), "object"),
                    Counts.of(content.nodeFacts().size(), "node"),
                    content.etcd()
                            .map(e -> "etcd facts of " + Counts.of(e.members().size(), "member"))
                            .orElse("no etcd facts"));
            if (!info.problems().isEmpty()) {
                err.printf(
                        "PARTIAL: %d parts could not be collected:%n",
                        info.problems().size());
                info.problems().forEach(p -> err.printf("  %s: %s%n", p.what(), p.reason()));
            }
            err.flush();
        }
        return 0;
    }
}
