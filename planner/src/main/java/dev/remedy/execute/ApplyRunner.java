package dev.remedy.execute;

import dev.remedy.facts.derived.Facts;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Wave;
import dev.remedy.plan.edit.FileEdits;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Applies a plan wave by wave. Before a wave, every precondition of its actions is checked again against the
 * cluster (resourceVersion, file sha256) and a changed target stops the run before anything of the wave is
 * touched; a target the run itself changed in an earlier wave is checked against what the run left. After a
 * wave, its verification checks must pass. Every step is journaled, so a resumed run skips what is done and
 * a Manual step pauses the run until a person has done it.
 */
public final class ApplyRunner {

    /** How a run ended. */
    public enum Outcome {
        FINISHED(0),
        NOTHING_TO_DO(0),
        DRY_RUN_PASSED(0),
        DECLINED(5),
        PAUSED(4),
        STOPPED_STALE(3),
        STOPPED_FAILED(1);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** What the run may do and how long its checks may take. */
    public record Settings(DryRun dryRun, boolean yes, boolean resume, Duration checkTimeout) {}

    private final RemediationPlan plan;
    private final Journal journal;
    private final ApiActions api;
    private final NodeActions nodes;
    private final Checks checks;
    private final Predicate<String> confirm;
    private final PrintWriter out;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, String> resourceVersionsWeLeft = new HashMap<>();

    public ApplyRunner(
            RemediationPlan plan,
            Journal journal,
            ApiActions api,
            NodeActions nodes,
            Checks checks,
            Predicate<String> confirm,
            PrintWriter out,
            Settings settings,
            Clock clock) {
        this.plan = plan;
        this.journal = journal;
        this.api = api;
        this.nodes = nodes;
        this.checks = checks;
        this.confirm = confirm;
        this.out = out;
        this.settings = settings;
        this.clock = clock;
    }

    public Outcome run() {
        boolean dryRun = settings.dryRun() != DryRun.none;
        if (!dryRun && !journal.isEmpty() && !settings.resume()) {
            say(
                    "A journal of an earlier run exists (%s). Pass --resume to continue it; it is never repeated.",
                    journal.file());
            return Outcome.STOPPED_FAILED;
        }
        if (!dryRun
                && plan.spec().waves().stream()
                        .flatMap(w -> w.actions().stream())
                        .allMatch(a -> journal.status(a.id())
                                .filter(s -> s == Journal.Status.done)
                                .isPresent())) {
            say(
                    "Nothing to do: every action of %s is done (%s).",
                    plan.metadata().name(), journal.file());
            return Outcome.NOTHING_TO_DO;
        }
        for (Wave wave : plan.spec().waves()) {
            List<PlannedAction> pending = wave.actions().stream()
                    .filter(a -> dryRun
                            || journal.status(a.id())
                                    .filter(s -> s == Journal.Status.done)
                                    .isEmpty())
                    .toList();
            if (pending.isEmpty()) {
                say("Wave %d: done in an earlier run.", wave.index());
                continue;
            }
            if (!dryRun
                    && !settings.yes()
                    && !confirm.test("Apply wave " + wave.index() + " (" + pending.size() + " actions)?")) {
                say("Stopped before wave %d: not confirmed. Pass --yes to apply without asking.", wave.index());
                return Outcome.DECLINED;
            }
            say("Wave %d%s:", wave.index(), dryRun ? " (dry run: " + settings.dryRun() + ")" : "");
            Optional<String> stale = firstStale(pending);
            if (stale.isPresent()) {
                say("  STOPPED: %s. Nothing of wave %d was touched; make a new plan.", stale.get(), wave.index());
                return Outcome.STOPPED_STALE;
            }
            // Actions of one wave are independent, so a step that waits for a person does not hold back the
            // others; the run pauses at the end of the wave, before its checks.
            boolean paused = false;
            for (PlannedAction action : pending) {
                Optional<Outcome> stop = step(action, dryRun);
                if (stop.filter(o -> o == Outcome.PAUSED).isPresent()) {
                    paused = true;
                } else if (stop.isPresent()) {
                    return stop.get();
                }
            }
            if (paused) {
                say(
                        "PAUSED after wave %d: do the steps above by hand, then `kubectl remedy apply --resume`.",
                        wave.index());
                return Outcome.PAUSED;
            }
            if (!dryRun) {
                Optional<Outcome> failed = verify(wave);
                if (failed.isPresent()) {
                    return failed.get();
                }
            }
        }
        if (dryRun) {
            say(
                    "Dry run passed: every precondition holds and every write was accepted%s.",
                    settings.dryRun() == DryRun.server ? " by the API server (dryRun=All)" : " locally");
            return Outcome.DRY_RUN_PASSED;
        }
        say("Finished: every action of %s is done.", plan.metadata().name());
        return Outcome.FINISHED;
    }

    private Optional<Outcome> step(PlannedAction action, boolean dryRun) {
        if (action.type() == ActionType.Manual || action.type().scope() == ActionType.Scope.ETCD) {
            return manual(action, dryRun);
        }
        if (!dryRun
                && journal.status(action.id())
                        .filter(s -> s == Journal.Status.waiting)
                        .isPresent()) {
            say("  %s %s: done by hand (confirmed by --resume).", action.id(), action.type());
            journal.record(entry(action, Journal.Status.done, "done by hand, confirmed by --resume", rollback(action)));
            return Optional.empty();
        }
        try {
            String message =
                    switch (action.type().scope()) {
                        case API -> api(action, dryRun);
                        case NODE -> node(action, dryRun);
                        default ->
                            throw new ExecutionException(action.id() + ": " + action.type() + " cannot be applied.");
                    };
            say("  %s %s: %s", action.id(), action.type(), message);
            if (!dryRun) {
                journal.record(entry(action, Journal.Status.done, message, rollback(action)));
            }
            return Optional.empty();
        } catch (ScriptNodeActions.PausedException e) {
            say("  %s %s: %s", action.id(), action.type(), e.getMessage());
            journal.record(entry(action, Journal.Status.waiting, e.getMessage(), rollback(action)));
            return Optional.of(Outcome.PAUSED);
        } catch (StaleTargetException e) {
            say("  STOPPED at %s: %s", action.id(), e.getMessage());
            if (!dryRun) {
                journal.record(entry(action, Journal.Status.failed, e.getMessage(), null));
            }
            return Optional.of(Outcome.STOPPED_STALE);
        } catch (RuntimeException e) {
            say("  FAILED at %s: %s", action.id(), e.getMessage());
            if (!dryRun) {
                journal.record(entry(action, Journal.Status.failed, String.valueOf(e.getMessage()), null));
            }
            return Optional.of(Outcome.STOPPED_FAILED);
        }
    }

    /** A Manual step (and, for now, an etcd member change) pauses the run until a person did it. */
    private Optional<Outcome> manual(PlannedAction action, boolean dryRun) {
        Object instructions =
                action.change() == null ? action.rationale() : action.change().get("instructions");
        Object check = action.change() == null ? null : action.change().get("verify");
        if (!dryRun
                && journal.status(action.id())
                        .filter(s -> s == Journal.Status.waiting)
                        .isPresent()) {
            say("  %s %s: done by hand (confirmed by --resume).", action.id(), action.type());
            journal.record(entry(action, Journal.Status.done, "done by hand, confirmed by --resume", null));
            return Optional.empty();
        }
        say(
                "  %s %s on %s: %s",
                action.id(),
                action.type(),
                action.node() == null ? "the cluster" : action.node(),
                instructions == null ? action.rationale() : instructions);
        EtcdCommands.of(action).ifPresent(command -> say("     run on a control-plane node: %s", command));
        if (check != null) {
            say("     then check: %s", check);
        }
        if (dryRun) {
            return Optional.empty();
        }
        journal.record(entry(action, Journal.Status.waiting, "waiting for a person", null));
        return Optional.of(Outcome.PAUSED);
    }

    private String api(PlannedAction action, boolean dryRun) {
        if (settings.dryRun() == DryRun.client) {
            return "valid locally; not sent";
        }
        ApiActions.Result result = api.execute(action, dryRun);
        if (result.resourceVersion() != null) {
            resourceVersionsWeLeft.put(action.target().toString(), result.resourceVersion());
        }
        return result.message();
    }

    @SuppressWarnings("unchecked")
    private String node(PlannedAction action, boolean dryRun) {
        Optional<String> content = Optional.empty();
        if (action.type() == ActionType.EditNodeFile) {
            String current = nodes.read(action.node(), action.path())
                    .orElseThrow(() -> new StaleTargetException(action.node() + ":" + action.path() + " is gone"));
            String next = FileEdits.apply(current, action.change());
            if (!Facts.sha256(next).equals(action.change().get("resultSha256"))) {
                throw new StaleTargetException("the edit of " + action.node() + ":" + action.path()
                        + " would not give the reviewed result (sha256 differs)");
            }
            content = Optional.of(next);
        }
        String script = NodeScript.forAction(plan.metadata().name(), action, content);
        if (dryRun) {
            return "preconditions hold; would run on " + action.node() + ":\n" + indent(script);
        }
        return nodes.run(action, script).strip();
    }

    /** The first precondition of the wave that no longer holds, checked before anything of it runs. */
    private Optional<String> firstStale(List<PlannedAction> actions) {
        for (PlannedAction action : actions) {
            for (Map<String, Object> precondition : action.preconditions()) {
                if (precondition.get("resourceVersion") instanceof String expected && action.target() != null) {
                    String key = action.target().toString();
                    String wanted = resourceVersionsWeLeft.getOrDefault(key, expected);
                    String actual = api.resourceVersion(action.target()).orElse("gone");
                    if (!wanted.equals(actual)) {
                        return Optional.of(action.id() + ": " + key + " changed since planning (resourceVersion "
                                + wanted + " expected, " + actual + " now)");
                    }
                }
                if (precondition.get("noPodsOfDaemonSets") instanceof List<?> daemonSets
                        && settings.dryRun() != DryRun.client) {
                    for (Object daemonSet : daemonSets) {
                        String[] parts = daemonSet.toString().split("/", 2);
                        int pods = api.daemonSetPods(parts[0], parts[1]);
                        if (pods > 0) {
                            return Optional.of(action.id() + ": DaemonSet " + daemonSet + " still runs " + pods
                                    + " pods, whose installer would write the file back");
                        }
                    }
                }
                if (precondition.get("fileSha256") instanceof String expected && settings.dryRun() != DryRun.client) {
                    String path = precondition.get("path") instanceof String p ? p : action.path();
                    Optional<String> actual = nodes.read(action.node(), path).map(Facts::sha256);
                    if (actual.isEmpty() || !actual.get().equals(expected)) {
                        return Optional.of(action.id() + ": " + action.node() + ":" + path
                                + " changed since planning (sha256 " + expected.substring(0, 12) + " expected, "
                                + actual.map(a -> a.substring(0, 12)).orElse("gone") + " now)");
                    }
                }
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private Optional<Outcome> verify(Wave wave) {
        for (PlannedAction action : wave.actions()) {
            for (Object check : action.verify()) {
                if (!(check instanceof Map<?, ?> map)) {
                    continue;
                }
                Checks.Result result = checks.run((Map<String, Object>) map, settings.checkTimeout());
                switch (result.status()) {
                    case FAILED -> {
                        say(
                                "  CHECK FAILED after wave %d: %s. Stopping; resume after fixing it.",
                                wave.index(), result.message());
                        journal.record(entry(action, Journal.Status.failed, "check failed: " + result.message(), null));
                        return Optional.of(Outcome.STOPPED_FAILED);
                    }
                    case BY_HAND -> say("  check by hand (not automated): %s", result.message());
                    case PASSED -> say("  check passed: %s", map.get("check"));
                }
            }
        }
        return Optional.empty();
    }

    private String rollback(PlannedAction action) {
        return switch (action.type()) {
            case EditNodeFile ->
                "on " + action.node() + ": cp -p "
                        + NodeScript.backupPath(plan.metadata().name(), action) + " " + action.path();
            case MoveNodeFile ->
                "on " + action.node() + ": mv "
                        + NodeScript.backupPath(plan.metadata().name(), action) + " " + action.path();
            case CordonNode -> "kubectl uncordon " + action.target().name();
            case UncordonNode -> "kubectl cordon " + action.target().name();
            default -> null;
        };
    }

    private Journal.Entry entry(PlannedAction action, Journal.Status status, String message, String rollback) {
        return new Journal.Entry(action.id(), status, clock.instant().toString(), message, rollback);
    }

    private static String indent(String text) {
        return text.lines()
                .map(l -> "       " + l)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    private void say(String format, Object... args) {
        out.println(String.format(format, args));
        out.flush();
    }
}
