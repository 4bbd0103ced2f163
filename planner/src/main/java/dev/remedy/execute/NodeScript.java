package dev.remedy.execute;

import dev.remedy.plan.ActionType;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RestartedServices;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shell script that performs one node action, and the one that rolls it back. The same script runs in a
 * short-lived privileged pod on the node (with {@code HOST_ROOT=/host}), is written out for ssh or Ansible
 * ({@code --node-exec=script}), and is tested against a directory laid out as a host root.
 *
 * <p>Every script checks its precondition (the file's sha256) right before it acts and exits with
 * {@value #STALE} without touching anything when the file changed since planning. Files are never deleted:
 * an edited file's original and a moved file are kept under {@value #BACKUP_ROOT}, outside any directory the
 * kubelet or the CNI runtime reads (the kubelet runs every non-hidden file in the manifests directory, which
 * is how SourceClear's copies became duplicate control-plane pods). Temporary files are hidden for the same
 * reason. Every path is single-quoted, so a file name with spaces or {@code $(...)} is only a name.
 */
public final class NodeScript {

    /** Exit code of a script whose target changed since planning. */
    public static final int STALE = 3;

    public static final String BACKUP_ROOT = "/var/lib/kubectl-remedy/backup";

    private NodeScript() {}

    /**
     * The script for {@code action}; {@code newContent} is the file's content after an EditNodeFile, already
     * checked against the plan's result sha256.
     */
    public static String forAction(String planName, PlannedAction action, Optional<String> newContent) {
        StringBuilder script = header(planName, action, "");
        switch (action.type()) {
            case EditNodeFile ->
                edit(
                        script,
                        planName,
                        action,
                        newContent.orElseThrow(() -> new ExecutionException(action.id() + ": the new content of "
                                + action.path() + " is unknown. Maybe pass --snapshot"
                                + " with the facts the plan was made from.")));
            case MoveNodeFile -> move(script, planName, action);
            case RestartNodeService -> restart(script, action);
            case RebootNode ->
                script.append("echo ")
                        .append(quote(action.id() + ": rebooting " + action.node()))
                        .append("\n\"${SYSTEMCTL[@]}\" reboot\n");
            default ->
                throw new ExecutionException(
                        action.id() + ": " + action.type() + " is not a node action a script performs.");
        }
        return script.toString();
    }

    /** The script that undoes {@code action}, refusing when the file changed again since it ran. */
    public static String rollback(String planName, PlannedAction action) {
        StringBuilder script = header(planName, action, "rollback of ");
        String file = hostPath(action.path());
        String backup = hostPath(backupPath(planName, action));
        switch (action.type()) {
            case EditNodeFile -> {
                String result = String.valueOf(action.change().get("resultSha256"));
                script.append("file=")
                        .append(file)
                        .append("\nbackup=")
                        .append(backup)
                        .append('\n');
                script.append(requireSha("$file", result, action.id() + ": the file changed after the edit"));
                script.append("cp -p \"$backup\" \"$file\"\necho ")
                        .append(quote(action.id() + ": restored " + action.path() + " from the backup"))
                        .append('\n');
            }
            case MoveNodeFile -> {
                script.append("file=")
                        .append(file)
                        .append("\nbackup=")
                        .append(backup)
                        .append('\n');
                script.append("if [ -e \"$file\" ]; then echo ")
                        .append(quote(action.id() + ": a new " + action.path() + " exists; not overwriting it"))
                        .append(" >&2; exit ")
                        .append(STALE)
                        .append("; fi\n");
                script.append("mv \"$backup\" \"$file\"\necho ")
                        .append(quote(action.id() + ": moved " + action.path() + " back"))
                        .append('\n');
            }
            default -> throw new ExecutionException(action.id() + ": " + action.type() + " has no rollback script.");
        }
        return script.toString();
    }

    /**
     * Where the original of an edited file, or a moved file, is kept on the node: a MoveNodeFile's
     * {@code change.to} (a directory the kubelet and the CNI runtime do not read), else under the backup root.
     */
    public static String backupPath(String planName, PlannedAction action) {
        if (action.type() == ActionType.MoveNodeFile
                && action.change() != null
                && action.change().get("to") instanceof String to) {
            return to;
        }
        return BACKUP_ROOT + "/" + planName + "/" + action.id() + action.path();
    }

    private static StringBuilder header(String planName, PlannedAction action, String what) {
        StringBuilder script = new StringBuilder();
        script.append("#!/usr/bin/env bash\n");
        script.append("# kubectl remedy: ")
                .append(what)
                .append("plan ")
                .append(oneLine(planName))
                .append(", action ")
                .append(action.id())
                .append(" (")
                .append(action.type())
                .append(") on node ")
                .append(oneLine(action.node()))
                .append('\n');
        script.append("set -euo pipefail\n");
        script.append("root=\"${HOST_ROOT:-}\"\n");
        script.append("read -r -a SYSTEMCTL <<< \"${SYSTEMCTL:-systemctl}\"\n");
        return script;
    }

    private static void edit(StringBuilder script, String planName, PlannedAction action, String newContent) {
        expectedSha(action);
        String result = String.valueOf(action.change().get("resultSha256"));
        String directory = action.path().substring(0, action.path().lastIndexOf('/') + 1);
        String name = action.path().substring(action.path().lastIndexOf('/') + 1);
        script.append("file=").append(hostPath(action.path())).append('\n');
        script.append("backup=").append(hostPath(backupPath(planName, action))).append('\n');
        script.append("tmp=")
                .append(hostPath(directory + "." + name + ".kubectl-remedy"))
                .append('\n');
        script.append(requireShas(action));
        script.append("mkdir -p \"$(dirname \"$backup\")\"\ncp -p \"$file\" \"$backup\"\n");
        script.append("printf '%s' ")
                .append(quote(Base64.getEncoder().encodeToString(newContent.getBytes(StandardCharsets.UTF_8))))
                .append(" | base64 -d > \"$tmp\"\n");
        script.append("chmod --reference=\"$file\" \"$tmp\" 2>/dev/null || true\n");
        script.append("if [ \"$(sha256sum < \"$tmp\" | cut -d' ' -f1)\" != ")
                .append(quote(result))
                .append(" ]; then rm -f \"$tmp\"; echo ")
                .append(quote(action.id() + ": the new content does not match the plan's result sha256"))
                .append(" >&2; exit 1; fi\n");
        script.append("mv \"$tmp\" \"$file\"\n");
        script.append("echo ")
                .append(quote(action.id() + ": edited " + action.path() + "; the original is kept at"))
                .append(" \"${backup#\"$root\"}\"\n");
    }

    private static void move(StringBuilder script, String planName, PlannedAction action) {
        checkWithin(action);
        script.append("file=").append(hostPath(action.path())).append('\n');
        script.append("backup=").append(hostPath(backupPath(planName, action))).append('\n');
        script.append(requireShas(action));
        script.append("if [ -e \"$backup\" ]; then echo ")
                .append(quote(
                        action.id() + ": " + backupPath(planName, action) + " exists already; nothing was touched"))
                .append(" >&2; exit ")
                .append(STALE)
                .append("; fi\n");
        script.append("mkdir -p \"$(dirname \"$backup\")\"\nmv \"$file\" \"$backup\"\n");
        script.append("echo ")
                .append(quote(action.id() + ": moved " + action.path() + " out of service to"))
                .append(" \"${backup#\"$root\"}\"\n");
    }

    /**
     * A MoveNodeFile may only take a file out of the directory its scenario names ({@code change.within}), so
     * a plan edited by hand cannot move /etc/kubernetes/admin.conf or a CNI binary.
     */
    static void checkWithin(PlannedAction action) {
        Object within = action.change() == null ? null : action.change().get("within");
        String path = action.path();
        if (!(within instanceof String directory) || directory.isBlank()) {
            throw new ExecutionException(action.id() + ": MoveNodeFile of " + path + " names no directory it stays"
                    + " within (change.within). Maybe regenerate the plan.");
        }
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        if (!path.startsWith(prefix) || path.substring(prefix.length()).contains("/") || path.contains("/../")) {
            throw new ExecutionException(action.id() + ": MoveNodeFile refuses " + path + ": it is not a file directly"
                    + " in " + directory + ", the directory the scenario names.");
        }
        Object to = action.change().get("to");
        if (to != null
                && (!to.toString().startsWith("/")
                        || to.toString().contains("/../")
                        || to.toString().startsWith(prefix))) {
            throw new ExecutionException(action.id() + ": MoveNodeFile refuses to move " + path + " to " + to
                    + ": the destination must be an absolute path outside " + directory + ".");
        }
    }

    /**
     * Checks every fileSha256 precondition, each at its own {@code path} (the action's file by default), such
     * as the in-use CNI config that must still be there before a stray one is moved.
     */
    private static String requireShas(PlannedAction action) {
        expectedSha(action);
        StringBuilder checks = new StringBuilder();
        int n = 0;
        for (Map<String, Object> precondition : action.preconditions()) {
            if (precondition.get("fileSha256") instanceof String sha) {
                String path = precondition.get("path") instanceof String p ? p : action.path();
                String variable = "checked" + n++;
                checks.append(variable).append('=').append(hostPath(path)).append('\n');
                checks.append(requireSha("$" + variable, sha, action.id() + ": " + path + " changed since planning"));
            }
        }
        return checks.toString();
    }

    private static String requireSha(String fileVariable, String expected, String message) {
        return "if [ ! -f \"" + fileVariable + "\" ]; then echo "
                + quote(message + " (it is gone); nothing was" + " touched") + " >&2; exit " + STALE + "; fi\n"
                + "actual=$(sha256sum < \"" + fileVariable + "\" | cut -d' ' -f1)\n"
                + "if [ \"$actual\" != " + quote(expected) + " ]; then echo " + quote(message + " (sha256 ")
                + "\"$actual\"" + quote(", planned " + expected + "); nothing was touched") + " >&2; exit " + STALE
                + "; fi\n";
    }

    private static String expectedSha(PlannedAction action) {
        for (Map<String, Object> precondition : action.preconditions()) {
            if (precondition.get("fileSha256") instanceof String sha) {
                return sha;
            }
        }
        throw new ExecutionException(action.id() + ": " + action.type() + " of " + action.path() + " has no fileSha256"
                + " precondition, so a changed file could not be noticed. Maybe regenerate the plan.");
    }

    /** Restarts every service the action names, in its order; the first that fails stops the script. */
    private static void restart(StringBuilder script, PlannedAction action) {
        List<String> services = RestartedServices.of(action.change());
        if (services.isEmpty()) {
            throw new ExecutionException(action.id() + ": RestartNodeService on " + action.node()
                    + " names no services (change." + RestartedServices.FIELD + ", a list such as [containerd,"
                    + " kubelet]). Maybe regenerate the plan.");
        }
        for (String service : services) {
            script.append("\"${SYSTEMCTL[@]}\" restart ")
                    .append(quote(service))
                    .append("\necho ")
                    .append(quote(action.id() + ": restarted " + service))
                    .append('\n');
        }
    }

    /** A host path under $root, quoted: {@code "$root"'/etc/...'}. */
    private static String hostPath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new ExecutionException("A node path must be absolute, not (" + path + ").");
        }
        return "\"$root\"" + quote(path);
    }

    /** Single-quotes {@code text} for sh: nothing inside is expanded. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]", " ");
    }

    /** Every node action type a script performs. */
    public static final List<ActionType> TYPES = List.of(
            ActionType.EditNodeFile, ActionType.MoveNodeFile, ActionType.RestartNodeService, ActionType.RebootNode);
}
