package dev.remedy.execute;

import dev.remedy.facts.Snapshot;
import dev.remedy.plan.PlannedAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Writes node scripts for a person to run over ssh or Ansible instead of running them: each script and its
 * rollback go to a folder beside the plan, and the run pauses until the person has run it and resumes. The
 * node's files are known from the facts the plan was made from; each script checks them again on the node.
 */
public final class ScriptNodeActions implements NodeActions {

    private final Path directory;
    private final String planName;
    private final Snapshot facts;

    public ScriptNodeActions(Path directory, String planName, Snapshot facts) {
        this.directory = directory;
        this.planName = planName;
        this.facts = facts;
    }

    @Override
    public String run(PlannedAction action, String script) {
        Path file = directory.resolve(action.id() + "-" + action.node() + ".sh");
        write(file, script);
        if (NodeScript.TYPES.contains(action.type()) && action.path() != null) {
            write(
                    directory.resolve(action.id() + "-" + action.node() + ".rollback.sh"),
                    NodeScript.rollback(planName, action));
        }
        throw new PausedException("run " + file + " as root on " + action.node()
                + " (exit code 3 means the file changed since planning and nothing was touched), then resume");
    }

    @Override
    public Optional<String> read(String node, String path) {
        if (facts == null) {
            throw new ExecutionException("With --node-exec=script the node's files come from the facts the plan was"
                    + " made from. Maybe pass --snapshot.");
        }
        return facts.nodeFacts(node).flatMap(f -> f.file(path)).map(f -> f.content());
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the script still runs with `bash FILE`.
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node action handed to a person: the run pauses until they resume it. */
    public static final class PausedException extends ExecutionException {
        public PausedException(String message) {
            super(message);
        }
    }
}
