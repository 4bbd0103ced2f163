package dev.remedy.facts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kinds an OpenShift Insights archive leaves out. Its gatherers write pods and nodes without {@code kind} or
 * {@code apiVersion}, at places the insights-operator documents (docs/gathered-data.md):
 * {@code config/node/<name>.json}, {@code config/pod/<namespace>/<name>.json} and
 * {@code conditional/namespaces/<namespace>/pods/<name>/<name>.json}. A place alone is not trusted: the object's
 * own name and namespace must be the ones its path gives, and a {@code selfLink}, where the archive kept one,
 * must name the same object.
 */
final class InsightsArchive {

    /** An object whose kind the layout gives: its kind and the path pattern that gave it. */
    record Inferred(String kind, String layout, boolean pod) {}

    private InsightsArchive() {}

    /** The kind of {@code document}, an object without one, from its {@code relativePath} in the snapshot. */
    static Optional<Inferred> kindOf(String relativePath, JsonNode document) {
        if (!document.path("apiVersion").asText("v1").equals("v1")) {
            return Optional.empty();
        }
        List<String> parts = segments(relativePath);
        int n = parts.size();
        if (n < 3 || !parts.get(n - 1).endsWith(".json")) {
            return Optional.empty();
        }
        String fileName = parts.get(n - 1).substring(0, parts.get(n - 1).length() - ".json".length());
        String name = document.path("metadata").path("name").asText("");
        String namespace = document.path("metadata").path("namespace").asText("");
        String selfLink = document.path("metadata").path("selfLink").asText("");
        if (name.isEmpty() || !name.equals(fileName)) {
            return Optional.empty();
        }
        if (parts.get(n - 3).equals("config") && parts.get(n - 2).equals("node")) {
            boolean agrees = namespace.isEmpty() && (selfLink.isEmpty() || selfLink.equals("/api/v1/nodes/" + name));
            return agrees ? Optional.of(new Inferred("Node", "config/node/<name>.json", false)) : Optional.empty();
        }
        boolean configPod =
                n >= 4 && parts.get(n - 4).equals("config") && parts.get(n - 3).equals("pod");
        boolean conditionalPod = n >= 6
                && parts.get(n - 6).equals("conditional")
                && parts.get(n - 5).equals("namespaces")
                && parts.get(n - 3).equals("pods")
                && parts.get(n - 2).equals(name);
        if (!configPod && !conditionalPod) {
            return Optional.empty();
        }
        String pathNamespace = configPod ? parts.get(n - 2) : parts.get(n - 4);
        boolean agrees = namespace.equals(pathNamespace)
                && (selfLink.isEmpty() || selfLink.equals("/api/v1/namespaces/" + namespace + "/pods/" + name));
        String layout = configPod
                ? "config/pod/<namespace>/<name>.json"
                : "conditional/namespaces/<namespace>/pods/<name>/<name>.json";
        return agrees ? Optional.of(new Inferred("Pod", layout, true)) : Optional.empty();
    }

    private static List<String> segments(String relativePath) {
        List<String> parts = new ArrayList<>();
        for (String part : relativePath.replace('\\', '/').split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }
}
