package dev.remedy.cli;

import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotContent;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.facts.SnapshotWriter;
import dev.remedy.facts.live.ClusterConnection;
import dev.remedy.facts.live.LiveCollector;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a command's facts come from: a snapshot, or the live cluster that kubectl's flags choose. */
final class FactsSource {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--snapshot",
            paramLabel = "PATH",
            description = "Read a snapshot directory (recursively: *.yaml, *.yml, *.json) or one file instead of the"
                    + " cluster of the current context.")
    Path snapshot;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    LiveCollectionOptions collection;

    /** Whether the facts come from a live cluster rather than a snapshot. */
    boolean live() {
        return snapshot == null;
    }

    /**
     * Reads the snapshot, or the live cluster through the snapshot writer and reader, as {@code snapshot} would
     * write it: what a command concludes from a live cluster is what it concludes from that cluster's snapshot,
     * fingerprint included. Progress goes to stderr unless {@code quiet}.
     */
    Snapshot read(boolean quiet) {
        if (!live()) {
            return new SnapshotReader().read(snapshot, snapshot.toString());
        }
        var target = cluster.target();
        SnapshotContent content;
        try (ClusterConnection connection = ClusterConnection.open(target)) {
            content = new LiveCollector(
                            connection,
                            target,
                            collection.options(),
                            Terminal.progress(quiet, spec.commandLine().getErr()),
                            Clock.systemUTC())
                    .collect();
        }
        return new SnapshotReader()
                .read(
                        new SnapshotWriter().files(content),
                        "context " + content.info().context());
    }
}
