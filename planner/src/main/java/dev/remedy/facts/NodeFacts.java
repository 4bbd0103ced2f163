package dev.remedy.facts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Host facts of one node, as collected on the node itself: files read (a full listing of each directory
 * read), the kubelet's version, flags and configuration, and recent log lines per source.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "files", "kubelet", "logs"})
public record NodeFacts(
        String apiVersion,
        String kind,
        FactsMetadata metadata,
        List<HostFile> files,
        Kubelet kubelet,
        Map<String, List<String>> logs) {

    public static final String KIND = "NodeFacts";

    public NodeFacts {
        files = files == null ? List.of() : List.copyOf(files);
        logs = logs == null ? Map.of() : Map.copyOf(logs);
    }

    public String nodeName() {
        return metadata.name();
    }

    public Optional<HostFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** Files directly inside {@code directory}, sorted by name. */
    public List<HostFile> filesIn(String directory) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return files.stream()
                .filter(f -> f.path().startsWith(prefix) && f.path().indexOf('/', prefix.length()) < 0)
                .sorted((a, b) -> a.path().compareTo(b.path()))
                .toList();
    }

    /**
     * Whether any file under {@code directory} was collected, i.e. whether the directory was read at all: an
     * empty listing of a directory that was read is a fact, a directory that was not read is unknown.
     */
    public boolean readDirectory(String directory) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return files.stream().anyMatch(f -> f.path().startsWith(prefix));
    }

    public List<String> logs(String source) {
        return logs.getOrDefault(source, List.of());
    }

    /** One file read on the host. Private keys are never collected. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"path", "content"})
    public record HostFile(String path, String content) {
        public HostFile {
            content = content == null ? "" : content;
        }

        public String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** The kubelet as seen on the node. {@code config} is a KubeletConfiguration as /configz returns it. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"version", "flags", "config"})
    public record Kubelet(String version, List<String> flags, Map<String, Object> config) {
        public Kubelet {
            flags = flags == null ? List.of() : List.copyOf(flags);
            config = config == null ? Map.of() : config;
        }
    }
}
