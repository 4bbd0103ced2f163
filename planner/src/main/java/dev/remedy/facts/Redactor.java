package dev.remedy.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The one place secrets are taken out of collected facts, before anything is written or planned from: Secrets
 * lose their data, environment variables that come from Secrets are dropped, values that look like tokens or
 * private keys are replaced, and private key files are never kept. A snapshot is meant to be shared with
 * whoever helps in an incident, so it must hold nothing that grants access to the cluster.
 */
public final class Redactor {

    /** What replaces a value that must not be written. */
    public static final String REDACTED = "REDACTED";

    /** Lists the data keys a redacted Secret had, so that the snapshot still says which keys exist. */
    public static final String REDACTED_KEYS_ANNOTATION = "remedy.dev/redacted-keys";

    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");
    private static final Pattern BOOTSTRAP_TOKEN = Pattern.compile("\\b[a-z0-9]{6}\\.[a-z0-9]{16}\\b");
    private static final Pattern SENSITIVE_NAME =
            Pattern.compile("(?i).*(token|password|passwd|secret|credential|api[-_]?key|private[-_]?key).*");

    /** Redacts one API object given as a JSON tree, in place. */
    public void redactObject(ObjectNode object) {
        ObjectNode metadata = object.path("metadata") instanceof ObjectNode m ? m : null;
        if (metadata != null && metadata.path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(LAST_APPLIED);
            List<String> names = new ArrayList<>();
            annotations.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String value = annotations.path(name).asText("");
                if (SENSITIVE_NAME.matcher(name).matches() || looksSecret(value)) {
                    annotations.put(name, REDACTED);
                }
            }
        }
        if ("Secret".equals(object.path("kind").asText())
                && object.path("apiVersion").asText().equals("v1")) {
            redactSecret(object, metadata);
        }
        redactEnv(object);
        redactValues(object);
    }

    /** Whether a host file may be kept at all: private keys never are, by name or by content. */
    public boolean keepHostFile(NodeFacts.HostFile file) {
        return !file.name().endsWith(".key")
                && !PRIVATE_KEY.matcher(file.content()).find();
    }

    /** Host facts without private key files and with token-looking values replaced. */
    public NodeFacts redactNodeFacts(NodeFacts facts) {
        List<NodeFacts.HostFile> files = facts.files().stream()
                .filter(this::keepHostFile)
                .map(f -> new NodeFacts.HostFile(f.path(), redactText(f.content())))
                .toList();
        Map<String, List<String>> logs = new TreeMap<>();
        facts.logs()
                .forEach((source, lines) ->
                        logs.put(source, lines.stream().map(this::redactText).toList()));
        return new NodeFacts(facts.apiVersion(), facts.kind(), facts.metadata(), files, facts.kubelet(), logs);
    }

    private static void redactSecret(ObjectNode secret, ObjectNode metadata) {
        List<String> keys = new ArrayList<>();
        for (String field : List.of("data", "stringData")) {
            if (secret.get(field) instanceof ObjectNode data) {
                data.fieldNames().forEachRemaining(keys::add);
            }
            secret.remove(field);
        }
        if (!keys.isEmpty() && metadata != null) {
            ObjectNode annotations =
                    metadata.get("annotations") instanceof ObjectNode a ? a : metadata.putObject("annotations");
            annotations.put(
                    REDACTED_KEYS_ANNOTATION,
                    String.join(",", keys.stream().sorted().distinct().toList()));
        }
    }

    /** Drops env entries and envFrom sources that come from Secrets, anywhere in the object (pods, templates). */
    private static void redactEnv(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.get("env") instanceof ArrayNode env) {
                removeIf(env, e -> e.path("valueFrom").has("secretKeyRef"));
                for (JsonNode entry : env) {
                    if (entry instanceof ObjectNode variable
                            && variable.has("value")
                            && SENSITIVE_NAME
                                    .matcher(variable.path("name").asText())
                                    .matches()) {
                        variable.put("value", REDACTED);
                    }
                }
            }
            if (object.get("envFrom") instanceof ArrayNode envFrom) {
                removeIf(envFrom, e -> e.has("secretRef"));
            }
            object.elements().forEachRemaining(Redactor::redactEnv);
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(Redactor::redactEnv);
        }
    }

    /** Replaces every string that looks like a token or a private key, wherever it is. */
    private void redactValues(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (value.isTextual()) {
                    object.set(name, TextNode.valueOf(redactText(value.asText())));
                } else {
                    redactValues(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual()) {
                    array.set(i, TextNode.valueOf(redactText(value.asText())));
                } else {
                    redactValues(value);
                }
            }
        }
    }

    /** A text with private keys and tokens replaced; the rest of it is kept (a manifest, a log line). */
    public String redactText(String text) {
        if (PRIVATE_KEY.matcher(text).find()) {
            return REDACTED;
        }
        String result = JWT.matcher(text).replaceAll(REDACTED);
        return BOOTSTRAP_TOKEN.matcher(result).replaceAll(REDACTED);
    }

    private static boolean looksSecret(String value) {
        return PRIVATE_KEY.matcher(value).find()
                || JWT.matcher(value).find()
                || BOOTSTRAP_TOKEN.matcher(value).find()
                || value.toLowerCase(Locale.ROOT).startsWith("bearer ");
    }

    private static void removeIf(ArrayNode array, Predicate<JsonNode> test) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (test.test(array.get(i))) {
                array.remove(i);
            }
        }
    }
}
