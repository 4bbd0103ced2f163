package dev.remedy.facts.derived;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Small helpers shared by the fact collections. */
public final class Facts {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Facts() {}

    /**
     * The {@code ref} of an item: what the finding's subject will be. Kind, namespace, name and node in this order,
     * without the namespace or node when null; unmodifiable.
     */
    public static Map<String, Object> ref(String kind, String namespace, String name, String node) {
        return new RefMap(kind, namespace, name, node);
    }

    /**
     * A map of two facts in this order. {@code Map.of} would do, but its iteration order changes from one JVM run
     * to the next, and facts are read in order (CEL's {@code map}, written patches).
     */
    public static Map<String, Object> ordered(String key1, Object value1, String key2, Object value2) {
        Map<String, Object> map = LinkedHashMap.newLinkedHashMap(2);
        map.put(key1, value1);
        map.put(key2, value2);
        return map;
    }

    public static ContainerStatus containerStatus(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            if (container.equals(status.getName())) {
                return status;
            }
        }
        return null;
    }

    public static boolean conditionTrue(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition condition : node.getStatus().getConditions()) {
            if (type.equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    public static boolean isControlPlane(Node node) {
        Map<String, String> labels =
                Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
        return labels.containsKey("node-role.kubernetes.io/master")
                || labels.containsKey("node-role.kubernetes.io/control-plane");
    }

    /** The kubelet version of a node: from its own facts, else from the Node's status. */
    public static Optional<String> kubeletVersion(Snapshot snapshot, String nodeName) {
        Optional<String> fromFacts = snapshot.nodeFacts(nodeName)
                .map(dev.remedy.facts.NodeFacts::kubelet)
                .map(dev.remedy.facts.NodeFacts.Kubelet::version);
        if (fromFacts.isPresent()) {
            return fromFacts;
        }
        return snapshot.node(nodeName)
                .filter(n -> n.getStatus() != null && n.getStatus().getNodeInfo() != null)
                .map(n -> n.getStatus().getNodeInfo().getKubeletVersion());
    }

    /** The etcd member on {@code node}: by member name, else by the node's addresses in its client URL. */
    public static Optional<EtcdFacts.Member> etcdMember(Snapshot snapshot, String node) {
        if (snapshot.etcd().isEmpty()) {
            return Optional.empty();
        }
        List<String> addresses = new ArrayList<>();
        snapshot.node(node)
                .filter(n -> n.getStatus() != null && n.getStatus().getAddresses() != null)
                .ifPresent(n -> n.getStatus().getAddresses().forEach(a -> addresses.add(a.getAddress())));
        for (EtcdFacts.Member member : snapshot.etcd().get().members()) {
            if (node.equals(member.name()) || addresses.contains(member.clientHost())) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /** A YAML or JSON file's content as a tree, if it is a mapping. */
    public static Optional<JsonNode> parseYaml(String content) {
        try {
            JsonNode node = YAML.readTree(content);
            return node == null || !node.isObject() ? Optional.empty() : Optional.of(node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static String sha256(String content) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256.", e);
        }
    }

    public static Optional<Long> seconds(String from, String to) {
        try {
            return Optional.of(
                    Duration.between(Instant.parse(from), Instant.parse(to)).toSeconds());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whole days from {@code creationTimestamp} to {@code now}, as {@link Duration#toDays()}; 0 if the text is not
     * an RFC 3339 time. Every pod has one, so the form Kubernetes writes ({@code 2006-01-02T15:04:05Z}) is read
     * digit by digit, which is a fraction of {@link Instant#parse}'s cost; any other text goes through
     * {@link Instant#parse}, so the answer is the same for every input.
     */
    public static long ageDays(String creationTimestamp, Instant now) {
        try {
            long created = kubernetesSeconds(creationTimestamp);
            if (created == Long.MIN_VALUE) {
                return Duration.between(Instant.parse(creationTimestamp), now).toDays();
            }
            return (now.getEpochSecond() - created) / SECONDS_PER_DAY;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static final long SECONDS_PER_DAY = 86_400;

    /**
     * The epoch second of {@code yyyy-MM-ddTHH:mm:ssZ} with hours, minutes and seconds in their ordinary ranges,
     * or {@code Long.MIN_VALUE} for any other text (left to {@link Instant#parse}, which also knows leap seconds
     * and 24:00). An impossible date (February 30) throws, as {@link Instant#parse} does.
     */
    static long kubernetesSeconds(String text) {
        if (text == null
                || text.length() != 20
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(19) != 'Z') {
            return Long.MIN_VALUE;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return Long.MIN_VALUE;
        }
        return LocalDate.of(year, month, day).toEpochDay() * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second;
    }

    /** The number written by {@code length} ASCII digits from {@code start}, or -1 if any is not a digit. */
    private static int digits(String text, int start, int length) {
        int value = 0;
        for (int i = start; i < start + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    public static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    /** How many items have each value of {@code key}, by value. */
    public static Map<String, Long> countBy(List<Map<String, Object>> items, String key) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> item : items) {
            Object value = item.get(key);
            if (value != null) {
                counts.merge(value.toString(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The most frequent value of {@code key}; ties go to the greatest value, so the answer is stable. */
    public static String mostCommon(List<Map<String, Object>> items, String key) {
        return countBy(items, key).entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }
}
