package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes collected facts in the snapshot format that {@link SnapshotReader} reads: one {@code List} file per
 * kind and namespace ({@code namespaces/<ns>/<kind>.yaml}, {@code cluster/<kind>.yaml} for cluster-scoped
 * kinds), one file per node's host facts ({@code node-facts/<node>.yaml}), {@code etcd.yaml} and
 * {@code snapshot-info.yaml}. The output is deterministic: objects sorted by namespace and name, keys in a
 * stable order. Everything passes through the {@link Redactor} first.
 */
public final class SnapshotWriter {

    static final String INFO_FILE = "snapshot-info.yaml";
    static final String ETCD_FILE = "etcd.yaml";

    private static final Map<String, String> FILE_NAMES = Map.ofEntries(
            Map.entry("Endpoints", "endpoints"),
            Map.entry("EndpointSlice", "endpointslices"),
            Map.entry("PodDisruptionBudget", "poddisruptionbudgets"),
            Map.entry("Ingress", "ingresses"),
            Map.entry("NetworkPolicy", "networkpolicies"),
            Map.entry("StorageClass", "storageclasses"));

    private final Redactor redactor = new Redactor();
    private final KubernetesSerialization kubernetes = new KubernetesSerialization();
    private final ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .build())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    /** The snapshot's files, by path relative to the snapshot directory, in the order they are read. */
    public SortedMap<String, byte[]> files(SnapshotContent content) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        Map<String, List<ObjectNode>> byFile = new TreeMap<>();
        for (HasMetadata object : content.objects()) {
            ObjectNode tree = kubernetes.convertValue(object, ObjectNode.class);
            redactor.redactObject(tree);
            byFile.computeIfAbsent(fileOf(object), f -> new ArrayList<>()).add(tree);
        }
        byFile.forEach((file, objects) -> {
            objects.sort(Comparator.comparing((ObjectNode o) ->
                            o.path("metadata").path("namespace").asText(""))
                    .thenComparing(o -> o.path("metadata").path("name").asText(""))
                    .thenComparing(o -> o.path("metadata").path("uid").asText("")));
            ObjectNode list = yaml.createObjectNode();
            list.put("apiVersion", "v1");
            list.put("kind", "List");
            ArrayNode items = list.putArray("items");
            objects.forEach(items::add);
            files.put(file, bytes(list));
        });
        for (NodeFacts facts : content.nodeFacts()) {
            files.put("node-facts/" + safe(facts.nodeName()) + ".yaml", bytes(redactor.redactNodeFacts(facts)));
        }
        content.etcd().ifPresent(etcd -> files.put(ETCD_FILE, bytes(etcd)));
        files.put(INFO_FILE, bytes(content.info()));
        return files;
    }

    /**
     * Writes the files into {@code directory}, which must be new or empty: files left from another snapshot
     * would be read as part of this one. Each file is written whole before it appears, {@code snapshot-info.yaml}
     * last, so an interrupted write never looks complete.
     */
    public void write(Path directory, SortedMap<String, byte[]> files) {
        try {
            Files.createDirectories(directory);
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new SnapshotException("The output directory (" + directory
                            + ") is not empty, and files left in it would be read as part of the new snapshot."
                            + " Maybe choose a new directory, e.g. " + directory + "-2.");
                }
            }
            List<String> order = new ArrayList<>(files.keySet());
            order.remove(INFO_FILE);
            order.add(INFO_FILE);
            for (String name : order) {
                Path target = directory.resolve(name);
                Files.createDirectories(target.getParent());
                Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
                Files.write(partial, files.get(name));
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new SnapshotException("The output directory (" + directory + ") cannot be written: " + e
                    + ". Maybe check it is writable and the disk is not full.");
        }
    }

    private static String fileOf(HasMetadata object) {
        String kind = object.getKind();
        String plural = FILE_NAMES.getOrDefault(kind, kind.toLowerCase(Locale.ROOT) + "s");
        String namespace =
                object.getMetadata() == null ? null : object.getMetadata().getNamespace();
        return namespace == null || namespace.isEmpty()
                ? "cluster/" + plural + ".yaml"
                : "namespaces/" + safe(namespace) + "/" + plural + ".yaml";
    }

    /** Kubernetes names are DNS labels or subdomains; anything else is kept out of the path. */
    private static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.startsWith(".") ? "_" + cleaned : cleaned;
    }

    private byte[] bytes(Object value) {
        try {
            return yaml.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
