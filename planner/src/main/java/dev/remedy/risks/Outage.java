package dev.remedy.risks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.Severity;

/**
 * One consequence of an event set that users or operators would call an outage. {@code lasting} is false when
 * the outage ends by itself once displaced pods start elsewhere (minutes of downtime, still an outage).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "subject", "severity", "lasting", "detail"})
public record Outage(Kind kind, ObjectRef subject, Severity severity, boolean lasting, String detail) {

    /** The kinds of outage checked after every simulated event set. */
    public enum Kind {
        EtcdQuorumLost,
        NoApiServer,
        NoReadyReplica,
        ServiceWithoutEndpoints,
        PodsPending,
        PdbViolated,
        DrainBlocked
    }

    /** What identifies the outage across event sets: its kind and subject. */
    @JsonIgnore
    public String key() {
        return kind + (subject == null ? "" : " " + subject);
    }
}
