package dev.remedy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.remedy.facts.ReadNote;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotInfo;
import java.util.ArrayList;
import java.util.List;

/** The plan a person reviews, dry-runs and applies: {@code kind: RemediationPlan}. */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record RemediationPlan(String apiVersion, String kind, Metadata metadata, Spec spec) {

    public static final String API_VERSION = "remedy.dev/v1alpha1";
    public static final String KIND = "RemediationPlan";

    public static RemediationPlan of(Metadata metadata, Spec spec) {
        return new RemediationPlan(API_VERSION, KIND, metadata, spec);
    }

    @JsonPropertyOrder({"name", "creationTimestamp"})
    public record Metadata(String name, String creationTimestamp) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"source", "findings", "waves", "unresolved"})
    public record Spec(Source source, List<Finding> findings, List<Wave> waves, List<Unresolved> unresolved) {
        public Spec {
            findings = findings == null ? List.of() : findings;
            waves = waves == null ? List.of() : waves;
            unresolved = unresolved == null ? List.of() : unresolved;
        }
    }

    /**
     * Where the facts came from and how complete they were. {@code partial} with {@code notes} says what was
     * not read, so that a plan from partial facts is never mistaken for a plan from a healthy cluster.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"snapshot", "context", "fingerprint", "collectedAt", "partial", "notes"})
    public record Source(
            String snapshot,
            String context,
            String fingerprint,
            String collectedAt,
            Boolean partial,
            List<String> notes) {
        public Source {
            notes = notes == null ? List.of() : notes;
        }

        /** Where a plan's facts came from, with every note on what was not read or collected. */
        public static Source of(Snapshot snapshot) {
            List<String> notes = new ArrayList<>();
            snapshot.notes().stream().map(ReadNote::toString).forEach(notes::add);
            snapshot.info().ifPresent(info -> info.problems()
                    .forEach(p -> notes.add("not collected: " + p.what() + ": " + p.reason())));
            return new Source(
                    snapshot.source(),
                    snapshot.info().map(SnapshotInfo::context).orElse(null),
                    snapshot.fingerprint(),
                    snapshot.info().map(SnapshotInfo::collectedAt).orElse(null),
                    snapshot.partial() ? Boolean.TRUE : null,
                    notes);
        }
    }

    /** A finding with no safe automatic action: why, and the manual step a person must take. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"finding", "reason", "instructions", "verify"})
    public record Unresolved(String finding, String reason, String instructions, String verify) {}
}
