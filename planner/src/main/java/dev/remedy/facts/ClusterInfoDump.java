package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text {@code kubectl cluster-info dump} writes to stdout: JSON lists one after another (NodeList,
 * EventList, ...), each opening with a <code>{</code> in the first column, with each container's log between
 * {@code ==== START logs for container ...} and {@code ==== END logs for container ...} lines. Such dumps are
 * often pasted into documents and touched by hand, so each list is checked on its own: a stray opening brace
 * or text after a list's closing brace is blanked and noted as a repair; a list that still does not parse is
 * blanked and noted as lost. Everything blanked keeps its line breaks, so later errors point at the right
 * line of the original file.
 */
final class ClusterInfoDump {

    private static final String START = "==== START logs for ";
    private static final String END = "==== END logs for ";
    private static final ObjectMapper LENIENT =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();

    private ClusterInfoDump() {}

    /** Whether a {@code .txt} file is read as a cluster-info dump: it starts with a JSON object. */
    static boolean looksLikeOne(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    /** The dump's JSON lists only, as a stream the JSON reader takes, with notes on what was set aside. */
    static byte[] objectsOnly(byte[] bytes, String file, List<ReadNote> notes) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        boolean inLogs = false;
        int sections = 0;
        int firstSection = 0;
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(START)) {
                inLogs = true;
                sections++;
                firstSection = firstSection == 0 ? i + 1 : firstSection;
            }
            boolean blank = inLogs;
            if (line.startsWith(END)) {
                inLogs = false;
            }
            if (blank) {
                lines[i] = "";
            } else if (line.startsWith("{")) {
                starts.add(i);
            }
        }
        for (int s = 0; s < starts.size(); s++) {
            int from = starts.get(s);
            int to = s + 1 < starts.size() ? starts.get(s + 1) : lines.length;
            document(lines, from, to, file, notes);
        }
        if (!starts.isEmpty()) {
            for (int i = 0; i < starts.getFirst(); i++) {
                lines[i] = "";
            }
        }
        if (sections > 0) {
            notes.add(new ReadNote(
                    file,
                    firstSection,
                    "read as a `kubectl cluster-info dump`: its " + sections
                            + " container log sections were set aside (the planner reads the objects only)",
                    false));
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the list on lines {@code from} to {@code to} (exclusive) and blanks what is not part of it. */
    private static void document(String[] lines, int from, int to, String file, List<ReadNote> notes) {
        String text = String.join("\n", java.util.Arrays.asList(lines).subList(from, to));
        int end = end(text);
        int skipped = 0;
        if (end < 0) {
            // A doubled opening brace, as left by a hand edit: read from the next one.
            int next = text.indexOf('{', 1);
            if (next > 0 && text.substring(1, next).isBlank() && (end = end(text.substring(next))) >= 0) {
                skipped = next;
                end += next;
                notes.add(new ReadNote(file, from + 1, "repaired: a stray `{` before the list was ignored", false));
            } else {
                notes.add(new ReadNote(file, from + 1, "skipped: a list that is not valid JSON", true));
                for (int i = from; i < to; i++) {
                    lines[i] = "";
                }
                return;
            }
        }
        String rest = text.substring(end);
        if (!rest.isBlank()) {
            notes.add(new ReadNote(
                    file,
                    from
                            + 1
                            + (int) text.substring(0, end)
                                    .chars()
                                    .filter(c -> c == '\n')
                                    .count(),
                    "repaired: text after the list ("
                            + rest.strip().lines().findFirst().orElse("") + ") was ignored",
                    false));
        }
        String kept = text.substring(0, skipped).replaceAll("[^\n]", " ")
                + text.substring(skipped, end)
                + rest.replaceAll("[^\n]", "");
        String[] keptLines = kept.split("\n", -1);
        for (int i = 0; i < keptLines.length && from + i < to; i++) {
            lines[from + i] = keptLines[i];
        }
    }

    /** Where the first JSON value in {@code text} ends, or -1 when it does not parse. */
    private static int end(String text) {
        try (JsonParser parser = LENIENT.createParser(text)) {
            parser.nextToken();
            parser.skipChildren();
            return (int) parser.currentLocation().getCharOffset();
        } catch (IOException e) {
            return -1;
        }
    }
}
