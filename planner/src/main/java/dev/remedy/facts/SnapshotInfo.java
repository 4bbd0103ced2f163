package dev.remedy.facts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a snapshot says about itself: when and from which context it was collected, what was collected,
 * and what could not be collected and why. Optional: a hand-written snapshot may omit it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "collectedAt", "context", "server", "collected", "problems"})
public record SnapshotInfo(
        String apiVersion,
        String kind,
        FactsMetadata metadata,
        String collectedAt,
        String context,
        String server,
        List<String> collected,
        List<CollectionProblem> problems) {

    public static final String KIND = "SnapshotInfo";

    public SnapshotInfo {
        collected = collected == null ? List.of() : List.copyOf(collected);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** Something that could not be collected: which part (a kind, a node's facts, an etcd member) and why. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"what", "reason"})
    public record CollectionProblem(String what, String reason) {}
}
