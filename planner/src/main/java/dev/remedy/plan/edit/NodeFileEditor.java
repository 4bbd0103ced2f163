package dev.remedy.plan.edit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Applies YAML-path edits to a file on a node the way a careful person would: only the edited lines change,
 * comments, key order and formatting elsewhere stay as they were, so the diff a reviewer reads is the whole
 * change. Each result is read back and checked against the edit; an edit that cannot be made exactly fails.
 *
 * <p>A path is dot-separated keys with list selectors: {@code spec.containers[name=etcd].livenessProbe},
 * {@code ...command[2]} (an index), {@code ...command[-]} (the end of the list, for {@code add}). Operations:
 * {@code set} (replace or create the value), {@code remove} (take the key or item out), {@code add} (append to
 * a list).
 */
public final class NodeFileEditor {

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[([^\\]=]+)=([^\\]]*)\\]|\\[(-|\\d+)\\]");
    private static final Pattern PLAIN =
            Pattern.compile("(?:[A-Za-z0-9/_]|-[A-Za-z0-9/_-])[A-Za-z0-9 /._=,:@+\\-\\[\\]]*");
    private static final Pattern NOT_A_STRING =
            Pattern.compile("(?i)true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_]*(\\.[0-9]*)?([eE][-+]?[0-9]+)?");
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private NodeFileEditor() {}

    /** The content after every edit, in order. */
    public static String apply(String content, List<Map<String, Object>> edits) {
        String result = content;
        for (Map<String, Object> edit : edits) {
            result = applyOne(result, edit);
            verify(result, edit);
        }
        return result;
    }

    private static String applyOne(String content, Map<String, Object> edit) {
        String op = String.valueOf(edit.get("op"));
        String path = String.valueOf(edit.get("path"));
        Object to = edit.get("to");
        List<Segment> segments = parse(path);
        Node root = compose(content, path);
        Node parent = root;
        for (Segment segment : segments.subList(0, segments.size() - 1)) {
            parent = child(parent, segment)
                    .orElseThrow(() -> new EditException("The path (" + path + ") does not exist in the file at ("
                            + segment + "). Maybe the file changed since the plan was made."));
        }
        Segment last = segments.get(segments.size() - 1);
        Text text = new Text(content);
        switch (op) {
            case "set" -> {
                return set(text, parent, last, to, path);
            }
            case "remove" -> {
                return remove(text, parent, last, path);
            }
            case "add" -> {
                if (!(parent instanceof SequenceNode list) || !(last instanceof Segment.Append)) {
                    throw new EditException(
                            "The add edit needs a path ending in [-] on a list, not (" + path + "). Maybe use set.");
                }
                return append(text, list, to, path);
            }
            default ->
                throw new EditException("The edit operation (" + op + ") is unknown. Maybe one of set, remove, add.");
        }
    }

    private static String set(Text text, Node parent, Segment last, Object to, String path) {
        Optional<NodeTuple> tuple = last instanceof Segment.Key key ? tuple(parent, key.name()) : Optional.empty();
        if (last instanceof Segment.Key key && tuple.isEmpty()) {
            MappingNode mapping = block(parent, MappingNode.class, path);
            NodeTuple lastTuple = mapping.getValue().get(mapping.getValue().size() - 1);
            int indent = start(mapping.getValue().get(0).getKeyNode()).getColumn();
            int at = text.lineEndAfter(end(lastTuple.getValueNode()));
            return text.insert(at, entry(key.name(), to, indent));
        }
        Node target = tuple.map(NodeTuple::getValueNode).orElseGet(() -> child(parent, last)
                .orElseThrow(() -> new EditException("The path (" + path + ") does not exist in the file."
                        + " Maybe the file changed since the plan was made.")));
        if (target instanceof ScalarNode && !(to instanceof Map || to instanceof List)) {
            return text.replace(start(target).getIndex(), end(target).getIndex(), scalar(to));
        }
        if (tuple.isPresent()) {
            Node key = tuple.get().getKeyNode();
            int from = text.lineStart(start(key).getIndex());
            int until = text.lineEndAfter(end(target));
            return text.replace(
                    from,
                    until,
                    entry(((ScalarNode) key).getValue(), to, start(key).getColumn()));
        }
        throw new EditException("The set edit at (" + path + ") would replace a list item by a structure. Maybe set"
                + " the list as a whole.");
    }

    private static String remove(Text text, Node parent, Segment last, String path) {
        if (last instanceof Segment.Key key) {
            NodeTuple tuple = tuple(parent, key.name())
                    .orElseThrow(() -> new EditException(
                            "The path (" + path + ") to remove does not exist. Maybe it" + " was removed already."));
            return text.replace(
                    text.lineStart(start(tuple.getKeyNode()).getIndex()),
                    text.lineEndAfter(end(tuple.getValueNode())),
                    "");
        }
        Node item = child(parent, last)
                .orElseThrow(() -> new EditException("The list item (" + path + ") to remove does not exist."));
        return text.replace(text.lineStart(start(item).getIndex()), text.lineEndAfter(end(item)), "");
    }

    private static String append(Text text, SequenceNode list, Object to, String path) {
        block(list, SequenceNode.class, path);
        if (list.getValue().isEmpty()) {
            throw new EditException("The list at (" + path + ") is empty, so its indentation is unknown. Maybe set the"
                    + " whole list.");
        }
        Node first = list.getValue().get(0);
        Node lastItem = list.getValue().get(list.getValue().size() - 1);
        int dash = text.dashColumn(start(first).getIndex());
        String rendered =
                to instanceof Map || to instanceof List ? "\n" + indent(block(to), dash + 2) : scalar(to) + "\n";
        return text.insert(text.lineEndAfter(end(lastItem)), " ".repeat(dash) + "- " + rendered);
    }

    /** Reads the result back and checks the edited path holds what the edit says, or is gone. */
    private static void verify(String content, Map<String, Object> edit) {
        String path = String.valueOf(edit.get("path"));
        try {
            JsonNode node = YAML.readTree(content);
            List<Segment> segments = parse(path);
            if ("add".equals(edit.get("op"))) {
                segments = segments.subList(0, segments.size() - 1);
            }
            for (Segment segment : segments) {
                node = node == null ? null : segment.select(node);
            }
            JsonNode expected = YAML.readTree(YAML.writeValueAsString(edit.get("to")));
            boolean ok =
                    switch (String.valueOf(edit.get("op"))) {
                        case "remove" -> node == null || node.isMissingNode();
                        case "add" ->
                            node != null
                                    && node.isArray()
                                    && node.get(node.size() - 1).equals(expected);
                        default -> node != null && node.equals(expected);
                    };
            if (!ok) {
                throw new EditException("The edit at (" + path + ") did not produce the intended value (found " + node
                        + "). Maybe edit this file by hand.");
            }
        } catch (JsonProcessingException e) {
            throw new EditException("The edit at (" + path + ") produced invalid YAML: " + e.getOriginalMessage()
                    + ". Maybe edit this file by hand.");
        }
    }

    private static Node compose(String content, String path) {
        try {
            return new Compose(LoadSettings.builder().build())
                    .composeString(content)
                    .orElseThrow(() -> new EditException("The file is empty, so (" + path + ") cannot be edited."));
        } catch (YamlEngineException e) {
            throw new EditException("The file is not valid YAML ("
                    + e.getMessage().lines().findFirst().orElse("") + "), so (" + path
                    + ") cannot be edited. Maybe fix the file by hand first.");
        }
    }

    private static Optional<Node> child(Node parent, Segment segment) {
        if (segment instanceof Segment.Key key) {
            return tuple(parent, key.name()).map(NodeTuple::getValueNode);
        }
        if (!(parent instanceof SequenceNode list)) {
            return Optional.empty();
        }
        if (segment instanceof Segment.Index index) {
            return index.index() < list.getValue().size()
                    ? Optional.of(list.getValue().get(index.index()))
                    : Optional.empty();
        }
        if (segment instanceof Segment.Select select) {
            return list.getValue().stream()
                    .filter(item -> tuple(item, select.key())
                            .map(t -> t.getValueNode() instanceof ScalarNode s
                                    && s.getValue().equals(select.value()))
                            .orElse(false))
                    .findFirst();
        }
        return Optional.empty();
    }

    private static Optional<NodeTuple> tuple(Node node, String key) {
        if (!(node instanceof MappingNode mapping)) {
            return Optional.empty();
        }
        return mapping.getValue().stream()
                .filter(t ->
                        t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key))
                .findFirst();
    }

    private static <T extends Node> T block(Node node, Class<T> type, String path) {
        if (!type.isInstance(node)) {
            throw new EditException(
                    "The parent of (" + path + ") is not a " + (type == MappingNode.class ? "mapping" : "list")
                            + ". Maybe the file changed since the plan was made.");
        }
        T typed = type.cast(node);
        boolean flow = typed instanceof MappingNode m
                ? m.getFlowStyle().name().equals("FLOW")
                : ((SequenceNode) typed).getFlowStyle().name().equals("FLOW");
        if (flow) {
            throw new EditException("The parent of (" + path + ") is written in flow style ({...} or [...]), which this"
                    + " editor does not change in place. Maybe edit this file by hand.");
        }
        return typed;
    }

    private static String entry(String key, Object value, int indent) {
        String pad = " ".repeat(indent);
        if (value instanceof Map || value instanceof List) {
            return pad + key + ":\n" + indent(block(value), indent + 2);
        }
        return pad + key + ": " + scalar(value) + "\n";
    }

    private static String block(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new EditException("The value (" + value + ") cannot be written as YAML: " + e.getOriginalMessage());
        }
    }

    private static String indent(String block, int indent) {
        StringBuilder result = new StringBuilder();
        for (String line : block.split("\n")) {
            result.append(" ".repeat(indent)).append(line).append('\n');
        }
        return result.toString();
    }

    /** A scalar as YAML: plain where that reads back as the same string, else double-quoted. */
    static String scalar(Object value) {
        if (!(value instanceof String text)) {
            return String.valueOf(value);
        }
        if (PLAIN.matcher(text).matches()
                && !NOT_A_STRING.matcher(text).matches()
                && !text.contains(": ")
                && !text.endsWith(":")
                && !text.endsWith(" ")) {
            return text;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static Mark start(Node node) {
        return node.getStartMark().orElseThrow();
    }

    private static Mark end(Node node) {
        return node.getEndMark().orElseThrow();
    }

    public static List<Segment> parse(String path) {
        List<Segment> segments = new ArrayList<>();
        Matcher matcher = SEGMENT.matcher(path);
        int at = 0;
        while (at < path.length()) {
            if (path.charAt(at) == '.') {
                at++;
                continue;
            }
            if (!matcher.find(at) || matcher.start() != at) {
                throw new EditException("The path (" + path + ") is not a YAML path at character " + at
                        + ". Maybe write it as spec.containers[name=etcd].livenessProbe.timeoutSeconds.");
            }
            if (matcher.group(1) != null) {
                segments.add(new Segment.Key(matcher.group(1)));
            } else if (matcher.group(2) != null) {
                segments.add(new Segment.Select(matcher.group(2), matcher.group(3)));
            } else if (matcher.group(4).equals("-")) {
                segments.add(new Segment.Append());
            } else {
                segments.add(new Segment.Index(Integer.parseInt(matcher.group(4))));
            }
            at = matcher.end();
        }
        if (segments.isEmpty()) {
            throw new EditException("The path is empty. Maybe name the field to edit.");
        }
        return segments;
    }

    /** One step of a path. */
    public sealed interface Segment {
        JsonNode select(JsonNode node);

        record Key(String name) implements Segment {
            public JsonNode select(JsonNode node) {
                return node.get(name);
            }

            @Override
            public String toString() {
                return name;
            }
        }

        record Select(String key, String value) implements Segment {
            public JsonNode select(JsonNode node) {
                for (JsonNode item : node) {
                    if (item.path(key).asText().equals(value)) {
                        return item;
                    }
                }
                return null;
            }

            @Override
            public String toString() {
                return "[" + key + "=" + value + "]";
            }
        }

        record Index(int index) implements Segment {
            public JsonNode select(JsonNode node) {
                return node.get(index);
            }

            @Override
            public String toString() {
                return "[" + index + "]";
            }
        }

        record Append() implements Segment {
            public JsonNode select(JsonNode node) {
                return node;
            }

            @Override
            public String toString() {
                return "[-]";
            }
        }
    }

    /** The file's text with code-point offsets, as the YAML marks count them. */
    private record Text(String content) {

        int offset(int codePoints) {
            return content.offsetByCodePoints(0, Math.min(codePoints, content.codePointCount(0, content.length())));
        }

        int lineStart(int codePoints) {
            int at = offset(codePoints);
            return content.codePointCount(0, content.lastIndexOf('\n', at - 1) + 1);
        }

        /**
         * The start of the line after the one a node ends on. A block node's end mark is the next token's
         * start, which may sit after the indentation of the following line: then the node ended on the line
         * before.
         */
        int lineEndAfter(Mark end) {
            int at = offset(end.getIndex());
            int lineStart = content.lastIndexOf('\n', at - 1) + 1;
            if (content.substring(lineStart, at).isBlank()) {
                return content.codePointCount(0, lineStart);
            }
            int newline = content.indexOf('\n', at);
            return content.codePointCount(0, newline < 0 ? content.length() : newline + 1);
        }

        int dashColumn(int itemCodePoints) {
            int at = offset(itemCodePoints);
            int dash = content.lastIndexOf('-', at);
            return dash - (content.lastIndexOf('\n', dash) + 1);
        }

        String replace(int fromCodePoints, int toCodePoints, String replacement) {
            return content.substring(0, offset(fromCodePoints)) + replacement + content.substring(offset(toCodePoints));
        }

        String insert(int atCodePoints, String text) {
            String head = content.substring(0, offset(atCodePoints));
            String prefix = head.isEmpty() || head.endsWith("\n") ? "" : "\n";
            return head + prefix + text + content.substring(offset(atCodePoints));
        }
    }
}
