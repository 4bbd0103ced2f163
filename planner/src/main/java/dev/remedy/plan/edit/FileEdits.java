package dev.remedy.plan.edit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of a node file after an EditNodeFile's change, by the change's {@code format}: {@code yaml}
 * (path edits that keep the rest of the file as it is), {@code json} (path edits, written back with two-space
 * indentation), {@code kubelet-flags} (a kubelet flag set or added in a systemd unit or environment file),
 * or any format with a {@code content} (the whole new content, such as a PEM certificate). The planner uses it
 * to show the diff and record the result's hash; apply uses it to write exactly that result.
 */
public final class FileEdits {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ANY_FLAG = Pattern.compile("--[a-z0-9-]+(=(\"[^\"]*\"|'[^']*'|\\S+))?");

    private FileEdits() {}

    @SuppressWarnings("unchecked")
    public static String apply(String before, Map<String, Object> change) {
        if (change.get("content") instanceof String content) {
            return content;
        }
        if (!(change.get("edits") instanceof List<?> edits)) {
            throw new EditException("The change has neither edits nor content. Maybe regenerate the plan.");
        }
        String format = String.valueOf(change.getOrDefault("format", "yaml"));
        return switch (format) {
            case "yaml" -> NodeFileEditor.apply(before, (List<Map<String, Object>>) edits);
            case "json" -> json(before, (List<Map<String, Object>>) edits);
            case "kubelet-flags" -> flags(before, (List<Map<String, Object>>) edits);
            default ->
                throw new EditException("The edit format (" + format + ") is unknown. Maybe one of yaml, json,"
                        + " kubelet-flags, or a change with the whole content.");
        };
    }

    private static String json(String before, List<Map<String, Object>> edits) {
        JsonNode root;
        try {
            root = JSON.readTree(before);
        } catch (JsonProcessingException e) {
            throw new EditException(
                    "The file is not valid JSON (" + e.getOriginalMessage() + "). Maybe fix it by hand.");
        }
        for (Map<String, Object> edit : edits) {
            String path = String.valueOf(edit.get("path"));
            List<NodeFileEditor.Segment> segments = NodeFileEditor.parse(path);
            JsonNode parent = root;
            for (NodeFileEditor.Segment segment : segments.subList(0, segments.size() - 1)) {
                parent = parent == null ? null : segment.select(parent);
            }
            if (!(parent instanceof ObjectNode object)
                    || !(segments.get(segments.size() - 1) instanceof NodeFileEditor.Segment.Key key)) {
                throw new EditException("The JSON path (" + path + ") does not end in a field of an object. Maybe the"
                        + " file changed since the plan was made.");
            }
            switch (String.valueOf(edit.get("op"))) {
                case "set" -> object.set(key.name(), JSON.valueToTree(edit.get("to")));
                case "remove" -> object.remove(key.name());
                default -> throw new EditException("The JSON edit (" + edit.get("op") + ") is unknown. Maybe set.");
            }
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JSON.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new EditException("The edited JSON cannot be written: " + e.getOriginalMessage());
        }
    }

    /** Sets a flag where it is, or adds it after the last flag of the kubelet's command line. */
    private static String flags(String before, List<Map<String, Object>> edits) {
        String result = before;
        for (Map<String, Object> edit : edits) {
            String flag = String.valueOf(edit.get("flag"));
            String to = String.valueOf(edit.get("to"));
            Matcher existing = Pattern.compile(Pattern.quote(flag) + "(=(\"[^\"]*\"|'[^']*'|\\S+))?(?=\\s|$)")
                    .matcher(result);
            if (existing.find()) {
                result = result.substring(0, existing.start()) + to + result.substring(existing.end());
                continue;
            }
            int insertAt = -1;
            Matcher any = ANY_FLAG.matcher(result);
            while (any.find()) {
                insertAt = any.end();
            }
            if (insertAt < 0) {
                throw new EditException("No kubelet flag was found to add " + flag + " beside. Maybe add it by hand.");
            }
            result = result.substring(0, insertAt) + " " + to + result.substring(insertAt);
        }
        return result;
    }
}
