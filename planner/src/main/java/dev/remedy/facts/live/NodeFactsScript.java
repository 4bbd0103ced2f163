package dev.remedy.facts.live;

import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shell script the host-facts pod runs ({@code node-facts.sh}, read only, private keys never printed) and
 * the reader of what it prints. The script frames base64 records rather than printing YAML, so that any file
 * content survives busybox's shell unchanged.
 */
public final class NodeFactsScript {

    static final String RESOURCE = "node-facts.sh";
    private static final String HEADER = "@@remedy-node-facts v1";

    private NodeFactsScript() {}

    /** The script's text. */
    public static String text() {
        try (InputStream in = NodeFactsScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource (" + RESOURCE + ") is missing from the jar.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the script printed for one node: its host facts and what it could not read. */
    public record Output(NodeFacts facts, List<String> missing, boolean complete) {}

    public static Output parse(String node, String printed) {
        List<String> lines = printed.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException("the facts pod printed no facts"
                    + (lines.isEmpty() ? "" : " (first line: " + abbreviate(lines.get(0)) + ")"));
        }
        List<NodeFacts.HostFile> files = new ArrayList<>();
        Map<String, List<String>> logs = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        boolean complete = false;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.equals("@@done")) {
                complete = true;
            } else if (line.startsWith("@@missing ")) {
                missing.add(line.substring("@@missing ".length()));
            } else if (line.startsWith("@@file ") || line.startsWith("@@log ")) {
                StringBuilder base64 = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).equals("@@end")) {
                    base64.append(lines.get(j++).strip());
                }
                if (j == lines.size()) {
                    break;
                }
                String content = new String(Base64.getDecoder().decode(base64.toString()), StandardCharsets.UTF_8);
                if (line.startsWith("@@file ")) {
                    files.add(new NodeFacts.HostFile(line.substring("@@file ".length()), content));
                } else {
                    logs.put(line.substring("@@log ".length()), content.lines().toList());
                }
                i = j;
            }
        }
        files.sort((a, b) -> a.path().compareTo(b.path()));
        NodeFacts facts =
                new NodeFacts(SnapshotReader.API_VERSION, NodeFacts.KIND, FactsMetadata.named(node), files, null, logs);
        return new Output(facts, missing, complete);
    }

    private static String abbreviate(String line) {
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
