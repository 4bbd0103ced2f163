package dev.remedy.facts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What was measured of the etcd cluster: its members, their health, the leader, and the latency of one
 * linearizable read per member. A member that did not answer is {@code healthy: false} with an
 * {@code error}; slow is reported as slow, never as down.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "members"})
public record EtcdFacts(String apiVersion, String kind, FactsMetadata metadata, List<Member> members) {

    public static final String KIND = "EtcdFacts";

    public EtcdFacts {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** One etcd member. Every field but {@code name} may be unknown (null). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({
        "name",
        "id",
        "clientURL",
        "peerURL",
        "healthy",
        "leader",
        "learner",
        "version",
        "readLatencyMs",
        "walFsyncP99Ms",
        "dbSizeBytes",
        "error"
    })
    public record Member(
            String name,
            String id,
            String clientURL,
            String peerURL,
            Boolean healthy,
            Boolean leader,
            Boolean learner,
            String version,
            Double readLatencyMs,
            Double walFsyncP99Ms,
            Long dbSizeBytes,
            String error) {

        public boolean isHealthy() {
            return Boolean.TRUE.equals(healthy);
        }

        /** The host part of the client URL, used to find the node this member runs on. */
        public String clientHost() {
            if (clientURL == null) {
                return null;
            }
            String rest = clientURL.replaceFirst("^[a-z]+://", "");
            int colon = rest.lastIndexOf(':');
            String host = colon > 0 ? rest.substring(0, colon) : rest;
            return host.replace("[", "").replace("]", "");
        }
    }
}
