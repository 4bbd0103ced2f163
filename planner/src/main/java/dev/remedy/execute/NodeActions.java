package dev.remedy.execute;

import dev.remedy.plan.PlannedAction;
import java.util.Optional;

/** Carries out node actions on their nodes: through a short-lived privileged pod, or as written scripts. */
public interface NodeActions {

    /**
     * Runs {@code script} for {@code action} on its node and returns what it printed; throws
     * {@link StaleTargetException} when the script found its target changed (exit code {@link NodeScript#STALE}).
     */
    String run(PlannedAction action, String script);

    /** Reads a file's content on a node, read only, or empty when it does not exist. */
    Optional<String> read(String node, String path);
}
