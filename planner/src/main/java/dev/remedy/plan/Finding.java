package dev.remedy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A failure the knowledge base recognised: which scenario, on which subject, how bad, and the evidence that
 * quotes the facts so a reviewer can check the reasoning without opening the cluster.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"id", "scenario", "severity", "subject", "summary", "evidence", "alternatives"})
public record Finding(
        String id,
        String scenario,
        Severity severity,
        ObjectRef subject,
        String summary,
        List<String> evidence,
        List<Alternative> alternatives) {

    public Finding {
        evidence = evidence == null ? List.of() : evidence;
        alternatives = alternatives == null ? List.of() : alternatives;
    }

    /** A candidate remedy the knowledge base offered, whether the plan chose it, and why not if not. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"remedy", "title", "risk", "chosen", "notApplicable"})
    public record Alternative(String remedy, String title, Risk risk, boolean chosen, String notApplicable) {}
}
