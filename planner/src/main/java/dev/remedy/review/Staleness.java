package dev.remedy.review;

import dev.remedy.facts.Snapshot;
import dev.remedy.facts.derived.Facts;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Wave;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a plan still fits the cluster: the facts' fingerprint, and for every action the preconditions it
 * will check right before it runs (a file's sha256, an object's resourceVersion), against newer facts.
 */
public final class Staleness {

    private Staleness() {}

    /** What changed since planning, one sentence per target; empty when the plan is current. */
    public static List<String> check(RemediationPlan plan, Snapshot now) {
        List<String> changes = new ArrayList<>();
        for (Wave wave : plan.spec().waves()) {
            for (PlannedAction action : wave.actions()) {
                for (Map<String, Object> precondition : action.preconditions()) {
                    check(action, precondition, now).ifPresent(changes::add);
                }
            }
        }
        if (changes.isEmpty() && !Objects.equals(plan.spec().source().fingerprint(), now.fingerprint())) {
            changes.add("the facts changed (sha256 "
                    + abbreviate(plan.spec().source().fingerprint()) + " then, " + abbreviate(now.fingerprint())
                    + " now), though no target of the plan did");
        }
        return changes;
    }

    /** Whether the only change is elsewhere in the cluster: the plan's targets are as planned. */
    public static boolean targetsUnchanged(List<String> changes) {
        return changes.stream().allMatch(c -> c.startsWith("the facts changed"));
    }

    private static Optional<String> check(PlannedAction action, Map<String, Object> precondition, Snapshot now) {
        if (precondition.get("fileSha256") instanceof String expected) {
            String path = precondition.get("path") instanceof String p ? p : action.path();
            Optional<String> actual =
                    now.nodeFacts(action.node()).flatMap(f -> f.file(path)).map(f -> Facts.sha256(f.content()));
            if (actual.isEmpty()) {
                return Optional.of(action.id() + ": " + action.node() + ":" + path + " is gone or was not collected");
            }
            if (!actual.get().equals(expected)) {
                return Optional.of(action.id() + ": " + action.node() + ":" + path + " changed (sha256 "
                        + abbreviate(expected) + " then, " + abbreviate(actual.get()) + " now)");
            }
        }
        if (precondition.get("resourceVersion") instanceof String expected && action.target() != null) {
            Optional<HasMetadata> object = now.objects().stream()
                    .filter(o -> o.getKind().equals(action.target().kind())
                            && o.getMetadata().getName().equals(action.target().name())
                            && Objects.equals(
                                    o.getMetadata().getNamespace(),
                                    action.target().namespace()))
                    .findFirst();
            String actual =
                    object.map(o -> o.getMetadata().getResourceVersion()).orElse(null);
            if (!expected.equals(actual)) {
                return Optional.of(action.id() + ": " + action.target() + " changed (resourceVersion " + expected
                        + " then, " + (actual == null ? "gone" : actual) + " now)");
            }
        }
        return Optional.empty();
    }

    private static String abbreviate(String sha) {
        return sha == null ? "unknown" : sha.substring(0, Math.min(12, sha.length()));
    }
}
