package dev.remedy.facts.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remedy.facts.EtcdFacts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code etcdctl -w json} prints for {@code member list}, {@code endpoint status} and
 * {@code endpoint health} (etcd 3.3 to 3.5), and merges the three into {@link EtcdFacts.Member}s. Member ids
 * are unsigned 64-bit numbers in that JSON and are written in hex, as etcdctl's tables show them.
 */
public final class EtcdctlJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|μs|ms|s|m|h)");

    private EtcdctlJson() {}

    /** One entry of {@code member list}. */
    public record ListedMember(
            String id, String name, List<String> peerURLs, List<String> clientURLs, boolean learner) {}

    /** One entry of {@code endpoint status}. */
    public record EndpointStatus(String endpoint, String memberId, String leaderId, String version, Long dbSizeBytes) {}

    /** One entry of {@code endpoint health}. */
    public record EndpointHealth(String endpoint, boolean healthy, Double tookMs, String error) {}

    public static List<ListedMember> memberList(String json) {
        List<ListedMember> members = new ArrayList<>();
        for (JsonNode member : read(json, "member list").path("members")) {
            members.add(new ListedMember(
                    hex(member.get("ID")),
                    member.path("name").asText(""),
                    texts(member.path("peerURLs")),
                    texts(member.path("clientURLs")),
                    member.path("isLearner").asBoolean(false)));
        }
        return members;
    }

    public static List<EndpointStatus> endpointStatus(String json) {
        List<EndpointStatus> statuses = new ArrayList<>();
        for (JsonNode entry : read(json, "endpoint status")) {
            JsonNode status = entry.path("Status");
            statuses.add(new EndpointStatus(
                    entry.path("Endpoint").asText(),
                    hex(status.path("header").get("member_id")),
                    hex(status.get("leader")),
                    status.hasNonNull("version") ? status.get("version").asText() : null,
                    status.hasNonNull("dbSize") ? status.get("dbSize").asLong() : null));
        }
        return statuses;
    }

    public static List<EndpointHealth> endpointHealth(String json) {
        List<EndpointHealth> healths = new ArrayList<>();
        for (JsonNode entry : read(json, "endpoint health")) {
            String error = entry.hasNonNull("error") ? entry.get("error").asText() : null;
            healths.add(new EndpointHealth(
                    entry.path("endpoint").asText(),
                    entry.path("health").asBoolean(false),
                    entry.hasNonNull("took") ? durationMs(entry.get("took").asText()) : null,
                    error == null || error.isEmpty() ? null : error));
        }
        return healths;
    }

    /**
     * The members as facts: each listed member with the status and health measured at one of its client URLs.
     * A member without a health answer is left unknown ({@code healthy} null), never assumed healthy or down;
     * a member that did not answer within {@code timeoutSeconds} is down, and says how long it was given.
     */
    public static List<EtcdFacts.Member> merge(
            List<ListedMember> members,
            List<EndpointStatus> statuses,
            List<EndpointHealth> healths,
            long timeoutSeconds) {
        Map<String, EndpointStatus> statusByMember = new LinkedHashMap<>();
        statuses.forEach(s -> statusByMember.put(s.memberId(), s));
        String leader = statuses.stream()
                .map(EndpointStatus::leaderId)
                .filter(id -> id != null && !id.equals("0"))
                .findFirst()
                .orElse(null);
        List<EtcdFacts.Member> result = new ArrayList<>();
        for (ListedMember member : members) {
            EndpointStatus status = statusByMember.get(member.id());
            EndpointHealth health = healths.stream()
                    .filter(h -> member.clientURLs().contains(h.endpoint()))
                    .findFirst()
                    .orElse(null);
            Boolean healthy = health == null ? null : health.healthy();
            String error = null;
            if (health == null) {
                error = member.clientURLs().isEmpty()
                        ? "not started: the member has no client URL yet"
                        : "not measured: etcdctl endpoint health gave no answer for it";
            } else if (!health.healthy()) {
                error = health.error() != null && health.error().contains("deadline exceeded")
                        ? "no answer within " + timeoutSeconds + " s (" + health.error() + ")"
                        : health.error() == null ? "unhealthy" : health.error();
            }
            result.add(new EtcdFacts.Member(
                    member.name().isEmpty() ? member.id() : member.name(),
                    member.id(),
                    member.clientURLs().isEmpty() ? null : member.clientURLs().get(0),
                    member.peerURLs().isEmpty() ? null : member.peerURLs().get(0),
                    healthy,
                    leader == null || status == null ? null : member.id().equals(leader),
                    member.learner(),
                    status == null ? null : status.version(),
                    health != null && health.healthy() ? health.tookMs() : null,
                    null,
                    status == null ? null : status.dbSizeBytes(),
                    error));
        }
        return result;
    }

    /** A Go duration ({@code 1.038117ms}, {@code 2.0009s}, {@code 1m2.5s}) in milliseconds. */
    public static Double durationMs(String text) {
        Matcher matcher = DURATION_PART.matcher(text.strip());
        double ms = 0;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                return null;
            }
            end = matcher.end();
            double value = Double.parseDouble(matcher.group(1));
            ms += switch (matcher.group(2)) {
                case "ns" -> value / 1_000_000;
                case "us", "µs", "μs" -> value / 1_000;
                case "ms" -> value;
                case "s" -> value * 1_000;
                case "m" -> value * 60_000;
                default -> value * 3_600_000;
            };
        }
        if (end == 0 || end != text.strip().length()) {
            return null;
        }
        return BigDecimal.valueOf(ms)
                .setScale(3, java.math.RoundingMode.HALF_UP)
                .doubleValue();
    }

    private static JsonNode read(String json, String command) {
        try {
            JsonNode node = JSON.readTree(json.strip().isEmpty() ? "null" : json);
            if (node == null || node.isNull() || node.isMissingNode()) {
                throw new IllegalArgumentException("etcdctl " + command + " printed nothing");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("etcdctl " + command + " printed no JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String hex(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        BigInteger value = id.isNumber() ? id.bigIntegerValue() : new BigInteger(id.asText());
        return value.toString(16);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
