package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Reads a snapshot: a directory (read recursively, {@code *.yaml}, {@code *.yml}, {@code *.json}, in path
 * order) or one file, which may also be the text of {@code kubectl cluster-info dump} ({@code *.txt}). A document is a Kubernetes object, a {@code List} or {@code <Kind>List} of them, or
 * one of the snapshot's own kinds ({@link NodeFacts}, {@link EtcdFacts}, {@link SnapshotInfo}). Unknown
 * kinds are kept as generic objects; documents that are not objects at all are skipped and noted. The pods and
 * nodes of an OpenShift Insights archive, which carry no kind, are read by their place in it ({@link
 * InsightsArchive}); other objects without a kind are skipped and noted. Malformed
 * input fails with the file, the line, what was expected and a fix.
 */
public final class SnapshotReader {

    public static final String API_VERSION = "remedy.dev/v1alpha1";
    private static final String API_GROUP = "remedy.dev/";

    // Mappers are thread-safe once configured and keep what they learnt of each class (fabric8's model has
    // hundreds): shared by every reader, so a second read in one process does not introspect them again.
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper JSON =
            new ObjectMapper(new JsonFactory()).enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final JsonFactory JSON_UNIQUE_KEYS = new UniqueKeysJsonFactory().setCodec(JSON);
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    // fabric8 configures this mapper (its modules, its registry of kinds); objects are bound from the tree
    // directly to their registered class, without convertValue's round trip through a token buffer.
    private static final ObjectMapper OBJECTS = new ObjectMapper();
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization(OBJECTS, true);

    static {
        OBJECTS.registerModule(new SimpleModule("remedy-shared-strings")
                .addDeserializer(String.class, new SharedStrings())
                .setDeserializerModifier(new EmptyCollections())
                .addValueInstantiator(ArrayList.class, new EmptyCollections.SmallLists())
                .addValueInstantiator(LinkedHashMap.class, new EmptyCollections.SmallMaps()));
        // Registered after fabric8's modules, so that it sees each property before fabric8 wraps it.
        OBJECTS.registerModule(new SimpleModule("remedy-direct-setters").setDeserializerModifier(new DirectSetters()));
        OBJECTS.addMixIn(Quantity.class, SharedQuantities.MixIn.class);
    }

    /** Reads the snapshot at {@code path}; {@code displayPath} is how the plan names it. */
    public Snapshot read(Path path, String displayPath) {
        List<Path> files = listFiles(path);
        if (files.isEmpty()) {
            throw new SnapshotException("The snapshot directory (" + displayPath
                    + ") holds no *.yaml, *.yml or *.json file. Maybe point --snapshot at the folder that"
                    + " `kubectl remedy snapshot --output-dir` wrote.");
        }
        boolean directory = Files.isDirectory(path);
        List<Source> sources = new ArrayList<>();
        for (Path file : files) {
            String name = directory
                    ? path.relativize(file).toString()
                    : file.getFileName().toString();
            sources.add(new Source(name, displayName(displayPath, path, file), file, null));
        }
        return readAll(displayPath, sources);
    }

    /**
     * Reads a snapshot held in memory, as {@code SnapshotWriter} would write it: relative path to bytes. The
     * files are read and fingerprinted exactly as the same files on disk would be, so a live read and a read of
     * its written snapshot give the same facts and the same fingerprint.
     */
    public Snapshot read(SortedMap<String, byte[]> files, String displayPath) {
        List<Source> sources = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path relative = Path.of(file.getKey());
            if (isSnapshotFile(relative) && !isHidden(relative)) {
                byte[] bytes = file.getValue();
                sources.add(new Source(file.getKey(), displayPath + "/" + file.getKey(), relative, bytes));
            }
        }
        return readAll(displayPath, sources);
    }

    /**
     * One file of a snapshot: its name in the fingerprint, its name in messages, its path, and its bytes if they are
     * held in memory, else null: it is read from its path.
     */
    private record Source(String name, String displayName, Path path, byte[] bytes) {}

    /** A file read: its bytes (for the fingerprint) and what its documents added up to. */
    private record Part(Source source, Content content, Accumulator accumulator) {}

    /**
     * A file's bytes: the first {@code length} of {@code array}, which is one of the read's {@link Buffers} if
     * {@code reused}.
     */
    private record Content(byte[] array, int length, boolean reused) {

        static Content of(byte[] bytes) {
            return new Content(bytes, bytes.length, false);
        }

        /** The bytes alone, for what is done only on the error path. */
        byte[] exact() {
            return length == array.length ? array : Arrays.copyOf(array, length);
        }

        JsonParser parser(JsonFactory factory) throws IOException {
            return factory.createParser(array, 0, length);
        }
    }

    /**
     * The arrays files are read into, each used again once its file has been fingerprinted: a large snapshot's
     * files (94 MB at 5,000 nodes) then take a few arrays, not one each that the JVM had to zero and the garbage
     * collector to copy when it ran while they were in use.
     */
    private static final class Buffers {
        private final List<byte[]> spare = new ArrayList<>();

        /** The smallest spare array that holds {@code size} bytes, or a new one with some room to spare. */
        synchronized byte[] take(int size) {
            int best = -1;
            for (int i = 0; i < spare.size(); i++) {
                if (spare.get(i).length >= size && (best < 0 || spare.get(i).length < spare.get(best).length)) {
                    best = i;
                }
            }
            return best < 0 ? new byte[(int) Math.min(Integer.MAX_VALUE - 16, size + size / 8L)] : spare.remove(best);
        }

        synchronized void give(byte[] array) {
            spare.add(array);
        }
    }

    /**
     * The pools that strings, parsed quantities and small maps are shared in while a file is read: the objects of
     * one kind sit together and repeat the same values.
     */
    private record Pools(Object strings, Object quantities, Object maps) {

        static Pools create() {
            return new Pools(SharedStrings.newPool(), SharedQuantities.newPool(), SharedMaps.newPool());
        }

        ObjectReader reader() {
            return OBJECTS.reader()
                    .withAttribute(SharedStrings.POOL, strings)
                    .withAttribute(SharedQuantities.POOL, quantities)
                    .withAttribute(SharedMaps.POOL, maps);
        }
    }

    /**
     * The pools of the files read, each handed on to the next file once its file is read: the pools of one file
     * take a third of a megabyte (most of it the bytes of the shared strings), which the JVM had to zero for each
     * of a large snapshot's files. The next file starts with the values of the last, which it may share too.
     */
    private static final class SparePools {
        private final List<Pools> spare = new ArrayList<>();

        synchronized Pools take() {
            return spare.isEmpty() ? Pools.create() : spare.removeLast();
        }

        synchronized void give(Pools pools) {
            spare.add(pools);
        }
    }

    /**
     * Reads the files in parallel, a bounded window at a time, and merges them in path order, so the facts,
     * the fingerprint and the first error reported are the same as a read one file after the other.
     */
    private Snapshot readAll(String displayPath, List<Source> sources) {
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), sources.size()));
        Accumulator merged = new Accumulator();
        MessageDigest fingerprint = sha256();
        ConcurrentMap<String, String> nodeNames = new ConcurrentHashMap<>();
        Buffers buffers = new Buffers();
        SparePools sparePools = new SparePools();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "snapshot-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Future<Part>> window = new ArrayDeque<>();
            for (Source source : sources) {
                window.add(pool.submit(() -> parse(source, nodeNames, buffers, sparePools)));
                if (window.size() >= 2 * threads) {
                    merge(merged, fingerprint, await(window.poll()), buffers);
                }
            }
            while (!window.isEmpty()) {
                merge(merged, fingerprint, await(window.poll()), buffers);
            }
        } finally {
            pool.shutdownNow();
        }
        return snapshot(displayPath, fingerprint, merged);
    }

    private Part parse(Source source, ConcurrentMap<String, String> nodeNames, Buffers buffers, SparePools sparePools) {
        Content content = source.bytes() != null ? Content.of(source.bytes()) : readContent(source.path(), buffers);
        Accumulator accumulator = new Accumulator();
        Pools pools = sparePools.take();
        readFile(source.displayName(), source.name(), source.path(), content, pools, accumulator);
        sparePools.give(pools);
        shareNodeNames(accumulator.objects, nodeNames);
        return new Part(source, content, accumulator);
    }

    /**
     * Gives each node name one string across the snapshot, in every pod's {@code spec.nodeName} and every Node's
     * name: the parser makes a new string for each (at 5,000 nodes, 150,000 for 5,000 names, 8 MB of the heap
     * after the read), and the later phases look pods up by their node, where one string compares by identity and
     * computes its hash once instead of once per pod. Only which of equal strings is kept depends on the order of
     * the threads.
     */
    private static void shareNodeNames(List<HasMetadata> objects, ConcurrentMap<String, String> nodeNames) {
        for (HasMetadata object : objects) {
            if (object instanceof Pod pod
                    && pod.getSpec() != null
                    && pod.getSpec().getNodeName() != null) {
                pod.getSpec().setNodeName(shared(pod.getSpec().getNodeName(), nodeNames));
            } else if (object instanceof Node node
                    && node.getMetadata() != null
                    && node.getMetadata().getName() != null) {
                node.getMetadata().setName(shared(node.getMetadata().getName(), nodeNames));
            }
        }
    }

    private static String shared(String value, ConcurrentMap<String, String> pool) {
        String shared = pool.get(value);
        if (shared != null) {
            return shared;
        }
        shared = pool.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }

    private static Part await(Future<Part> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException("Interrupted while reading the snapshot.", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new SnapshotException("The snapshot could not be read: " + e.getCause(), e.getCause());
        }
    }

    private static void merge(Accumulator merged, MessageDigest fingerprint, Part part, Buffers buffers) {
        digest(fingerprint, part.source().name(), part.content());
        if (part.content().reused()) {
            buffers.give(part.content().array());
        }
        Accumulator accumulator = part.accumulator();
        merged.objects.addAll(accumulator.objects);
        merged.nodeFacts.addAll(accumulator.nodeFacts);
        merged.notes.addAll(accumulator.notes);
        accumulator.insightsLayouts.forEach(
                (layout, count) -> merged.insightsLayouts.merge(layout, count, Integer::sum));
        if (accumulator.etcd.isPresent()) {
            if (merged.etcd.isPresent()) {
                throw new SnapshotException("The snapshot file ("
                        + part.source().displayName() + ") holds a second"
                        + " EtcdFacts (" + accumulator.etcd.get().metadata().name()
                        + "). Maybe merge the members into one EtcdFacts document.");
            }
            merged.etcd = accumulator.etcd;
        }
        if (accumulator.info.isPresent()) {
            merged.info = accumulator.info;
        }
    }

    private static void digest(MessageDigest fingerprint, String name, Content content) {
        fingerprint.update(name.getBytes(StandardCharsets.UTF_8));
        fingerprint.update((byte) 0);
        fingerprint.update(content.array(), 0, content.length());
        fingerprint.update((byte) 0);
    }

    private static Snapshot snapshot(String displayPath, MessageDigest fingerprint, Accumulator accumulator) {
        accumulator.insightsLayouts.forEach((inferred, count) -> accumulator.notes.add(new ReadNote(
                displayPath,
                0,
                "repaired: " + count + " object(s) without kind read as " + inferred.kind()
                        + ", as an OpenShift Insights archive writes them (" + inferred.layout() + ")",
                false)));
        if (accumulator.insightsLayouts.keySet().stream().anyMatch(InsightsArchive.Inferred::pod)) {
            accumulator.notes.add(new ReadNote(
                    displayPath,
                    0,
                    "an OpenShift Insights archive holds only the pods its gatherers selected (failing, pending or"
                            + " restarting), not every pod: the load of each node and the pods behind each budget"
                            + " and Service are unknown",
                    true));
        }
        return new Snapshot(
                displayPath,
                HexFormat.of().formatHex(fingerprint.digest()),
                accumulator.objects,
                accumulator.nodeFacts,
                accumulator.etcd,
                accumulator.info,
                accumulator.notes);
    }

    /** Reads one in-memory snapshot file, as a live collection produces them; used by tests and collectors. */
    public void readFile(String displayName, Path file, byte[] bytes, Accumulator accumulator) {
        readFile(displayName, file.toString(), file, Content.of(bytes), Pools.create(), accumulator);
    }

    /** {@code relativeName}: the file's path in the snapshot, whose layout may give a missing kind. */
    private void readFile(
            String displayName, String relativeName, Path file, Content bytes, Pools pools, Accumulator accumulator) {
        String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean isJson = fileName.endsWith(".json");
        if (fileName.endsWith(".txt")) {
            byte[] text = bytes.exact();
            if (ClusterInfoDump.looksLikeOne(text)) {
                bytes = Content.of(ClusterInfoDump.objectsOnly(text, displayName, accumulator.notes));
                isJson = true;
            }
        }
        Input input = new Input(displayName, relativeName, bytes, isJson, pools);
        Accumulator.Mark mark = accumulator.mark();
        try {
            readDocuments(input, true, accumulator);
            return;
        } catch (JsonProcessingException | NotAList e) {
            // Input the streaming read does not take as it comes (a key twice, a value of the wrong type, items of
            // a document that is no list) is read again as trees, which repair it or report it with its line.
            accumulator.reset(mark);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            readDocuments(input, false, accumulator);
        } catch (JsonProcessingException e) {
            throw malformed(displayName, isJson, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NotAList e) {
            throw new IllegalStateException("Items bound without streaming (" + displayName + ").", e);
        }
    }

    /**
     * Reads the documents of a file. {@code streaming}: bind the items of lists from the parser (ListItem), on a
     * parser that refuses any key twice, where reading them as trees would repair a top-level key that comes twice
     * and report anything else with the line of the field.
     */
    private void readDocuments(Input input, boolean streaming, Accumulator accumulator) throws IOException, NotAList {
        ObjectMapper mapper = input.mapper();
        ObjectReader objects = input.pools().reader();
        ListItem.Reader itemReader = new ListItem.Reader(mapper, OBJECTS, objects, SnapshotReader::directClass);
        int index = 0;
        try (JsonParser parser = streaming
                ? createUniqueKeysParser(mapper, input.bytes())
                : input.bytes().parser(mapper.getFactory())) {
            while (parser.nextToken() != null) {
                int line = parser.currentTokenLocation().getLineNr();
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    JsonNode document = mapper.readTree(parser);
                    if (document != null && !document.isNull() && !document.isMissingNode()) {
                        readDocument(input, index, JsonPointer.empty(), line, document, accumulator);
                    }
                    index++;
                    continue;
                }
                // Read the top level key by key: a key that comes again means two documents were
                // concatenated without `---` (as `kubectl get -o yaml >> file` does), and keeping only the
                // last value would silently drop the first document's objects.
                ObjectNode document = mapper.createObjectNode();
                List<ListItem> items = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    List<ListItem> valueItems = null;
                    JsonNode value;
                    if (streaming && key.equals("items") && parser.currentToken() == JsonToken.START_ARRAY) {
                        String kind = document.path("kind").asText(null);
                        valueItems = readItems(parser, itemReader, kind == null || kind.endsWith("List"));
                        value = NullNode.getInstance();
                    } else {
                        value = mapper.readTree(parser);
                    }
                    if (document.has(key)) {
                        accumulator.notes.add(new ReadNote(
                                input.file(),
                                keyLine,
                                "repaired: a second top-level " + key
                                        + " without a `---` before it was read as the start of a new document",
                                false));
                        readDocument(input, index, line, document, items, itemReader, accumulator);
                        document = mapper.createObjectNode();
                        items = null;
                        line = keyLine;
                    }
                    // A placeholder keeps the items' place among the keys, should the document be read as a tree.
                    document.set(key, value);
                    if (valueItems != null) {
                        items = valueItems;
                    }
                }
                readDocument(input, index, line, document, items, itemReader, accumulator);
                index++;
            }
        }
    }

    /** A parser that refuses any key twice in an object. */
    private static JsonParser createUniqueKeysParser(ObjectMapper mapper, Content bytes) throws IOException {
        if (mapper == JSON) {
            return bytes.parser(JSON_UNIQUE_KEYS);
        }
        return bytes.parser(mapper.getFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * The file being read: its name in messages, its path in the snapshot (whose layout may give a missing kind),
     * its bytes (to find the line of an error), whether it is JSON or YAML, and the pools its values are shared in.
     */
    private record Input(String file, String relativeName, Content bytes, boolean isJson, Pools pools) {
        ObjectMapper mapper() {
            return isJson ? JSON : YAML;
        }
    }

    /** Items were bound as objects of a list, and the document turned out not to be one. */
    private static final class NotAList extends Exception {
        NotAList() {
            super(null, null, false, false);
        }
    }

    private void readDocument(
            Input input, int index, JsonPointer within, int line, JsonNode document, Accumulator acc) {
        String file = input.file();
        if (!document.isObject()) {
            acc.notes.add(new ReadNote(
                    file,
                    line,
                    "skipped: a " + describe(document)
                            + ", not a Kubernetes object (expected a mapping with apiVersion and kind)",
                    true));
            return;
        }
        String kind = document.path("kind").asText("");
        String apiVersion = document.path("apiVersion").asText("");
        if (kind.isEmpty()) {
            Optional<InsightsArchive.Inferred> inferred = InsightsArchive.kindOf(input.relativeName(), document);
            if (inferred.isEmpty()) {
                acc.notes.add(new ReadNote(file, line, "skipped: an object without kind", true));
                return;
            }
            kind = inferred.get().kind();
            apiVersion = "v1";
            ((ObjectNode) document).put("kind", kind).put("apiVersion", apiVersion);
            acc.insightsLayouts.merge(inferred.get(), 1, Integer::sum);
        }
        JsonNode items = document.get("items");
        if (kind.endsWith("List") && items != null && items.isNull()) {
            // kubectl writes an empty list as "items": null (cluster-info dump does, for every empty kind).
            return;
        }
        if (isList(kind, items)) {
            String itemKind = kind.equals("List") ? null : kind.substring(0, kind.length() - "List".length());
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                if (item.isObject() && !item.has("kind") && itemKind != null) {
                    ((ObjectNode) item).put("kind", itemKind);
                    ((ObjectNode) item).put("apiVersion", apiVersion);
                }
                JsonPointer at = within.appendProperty("items").appendIndex(i);
                readDocument(input, index, at, line, item, acc);
            }
            return;
        }
        if (apiVersion.startsWith(API_GROUP)) {
            readOwnKind(input, index, within, line, kind, document, acc);
            return;
        }
        try {
            add(file, line, kind, OBJECTS.treeToValue(document, objectClass(apiVersion, kind)), acc);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e instanceof JsonProcessingException ? e : e.getCause();
            int at = SourceLines.line(input.mapper().getFactory(), input.bytes().exact(), index, within, cause, line);
            throw doesNotMatch(file, at, kind, cause == null ? e : cause);
        }
    }

    /**
     * Reads a document whose {@code items} were kept as tokens: a list binds each object straight from its tokens;
     * anything else (not a list after all, or a kind still to be inferred) is read as a tree, as before.
     */
    private void readDocument(
            Input input,
            int index,
            int line,
            ObjectNode document,
            List<ListItem> items,
            ListItem.Reader itemReader,
            Accumulator acc)
            throws IOException, NotAList {
        String file = input.file();
        ObjectMapper mapper = input.mapper();
        String kind = document.path("kind").asText("");
        String apiVersion = document.path("apiVersion").asText("");
        if (items == null || !kind.endsWith("List")) {
            if (items != null && items.stream().anyMatch(item -> item.bound() != null)) {
                throw new NotAList();
            }
            if (items != null) {
                ArrayNode array = document.putArray("items");
                for (ListItem item : items) {
                    array.add(item.tree(mapper));
                }
            }
            readDocument(input, index, JsonPointer.empty(), line, document, acc);
            return;
        }
        String itemKind = kind.equals("List") ? null : kind.substring(0, kind.length() - "List".length());
        for (ListItem item : items) {
            if (item.bound() != null) {
                add(file, line, item.kind(), item.bound(), acc);
                continue;
            }
            if (!bindsDirectly(item, itemKind, apiVersion)) {
                JsonNode node = item.tree(mapper);
                if (node.isObject() && !node.has("kind") && itemKind != null) {
                    ((ObjectNode) node).put("kind", itemKind).put("apiVersion", apiVersion);
                }
                JsonPointer at = JsonPointer.empty().appendProperty("items").appendIndex(item.index());
                readDocument(input, index, at, line, node, acc);
                continue;
            }
            boolean typed = item.kind() != null;
            String objectKind = typed ? item.kind() : itemKind;
            String objectApiVersion = typed ? Objects.requireNonNullElse(item.apiVersion(), "") : apiVersion;
            TokenBuffer tokens = typed ? item.tokens() : item.withType(OBJECTS, itemKind, apiVersion);
            try (JsonParser parser = tokens.asParser(OBJECTS)) {
                KubernetesResource object = itemReader
                        .readerFor(objectClass(objectApiVersion, objectKind))
                        .readValue(parser);
                add(file, line, objectKind, object, acc);
            } catch (IOException | IllegalArgumentException e) {
                Throwable cause = e instanceof IOException || e.getCause() == null ? e : e.getCause();
                JsonPointer at = JsonPointer.empty().appendProperty("items").appendIndex(item.index());
                int itemLine =
                        SourceLines.line(mapper.getFactory(), input.bytes().exact(), index, at, cause, item.line());
                throw doesNotMatch(file, itemLine, objectKind, cause);
            }
        }
    }

    /**
     * Whether an item is a Kubernetes object of a known kind, to bind from its tokens; the rest (no kind, a nested
     * list, one of the snapshot's own kinds, a kind or apiVersion that is not a string) take the tree path.
     */
    private static boolean bindsDirectly(ListItem item, String itemKind, String listApiVersion) {
        if (!item.isObject() || !item.plain()) {
            return false;
        }
        String kind = item.kind() != null ? item.kind() : itemKind;
        String apiVersion = item.kind() != null ? Objects.requireNonNullElse(item.apiVersion(), "") : listApiVersion;
        return kind != null && !kind.isEmpty() && !kind.endsWith("List") && !apiVersion.startsWith(API_GROUP);
    }

    /** The class an item of a list binds to from its tokens, or null if it is read as a tree. */
    private static Class<? extends KubernetesResource> directClass(String apiVersion, String kind) {
        return kind.endsWith("List") || apiVersion.startsWith(API_GROUP) ? null : objectClass(apiVersion, kind);
    }

    private static Class<? extends KubernetesResource> objectClass(String apiVersion, String kind) {
        Class<? extends KubernetesResource> type = KUBERNETES.getRegisteredKubernetesResource(apiVersion, kind);
        return type == null ? GenericKubernetesResource.class : type;
    }

    private static void add(String file, int line, String kind, KubernetesResource resource, Accumulator acc) {
        if (resource instanceof HasMetadata object) {
            acc.objects.add(object);
        } else {
            acc.notes.add(new ReadNote(file, line, "skipped: " + kind + " is not an object with metadata", true));
        }
    }

    private static SnapshotException doesNotMatch(String file, int line, String kind, Throwable cause) {
        return new SnapshotException("The snapshot file (" + file + ") line " + line + ": the " + kind
                + " does not match its schema: " + firstLine(cause)
                + ". Maybe compare it with `kubectl get " + kind.toLowerCase(Locale.ROOT) + " -o yaml`.");
    }

    private static List<ListItem> readItems(JsonParser parser, ListItem.Reader reader, boolean bind)
            throws IOException {
        List<ListItem> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(reader.read(parser, items.size(), bind));
        }
        return items;
    }

    private void readOwnKind(
            Input input, int index, JsonPointer within, int line, String kind, JsonNode document, Accumulator acc) {
        String file = input.file();
        Class<?> type =
                switch (kind) {
                    case NodeFacts.KIND -> NodeFacts.class;
                    case EtcdFacts.KIND -> EtcdFacts.class;
                    case SnapshotInfo.KIND -> SnapshotInfo.class;
                    default ->
                        throw new SnapshotException("The snapshot file (" + file + ") line " + line
                                + ": unknown kind (" + kind + ") in "
                                + document.path("apiVersion").asText()
                                + ". Maybe one of NodeFacts, EtcdFacts, SnapshotInfo.");
                };
        if (document.path("metadata").path("name").asText("").isEmpty()) {
            throw new SnapshotException("The snapshot file (" + file + ") line " + line + ": the " + kind
                    + " has no metadata.name. Maybe add the "
                    + (type == NodeFacts.class ? "Node's name" : "name") + " under metadata.");
        }
        Object value;
        try {
            value = STRICT.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            int at = SourceLines.line(input.mapper().getFactory(), input.bytes().exact(), index, within, e, line);
            throw new SnapshotException("The snapshot file (" + file + ") line " + at + ": the " + kind + " "
                    + describeMappingError(e) + ". Maybe compare it with the " + kind
                    + " example in the README.");
        }
        switch (value) {
            case NodeFacts facts -> acc.nodeFacts.add(facts);
            case EtcdFacts facts -> {
                if (acc.etcd.isPresent()) {
                    throw new SnapshotException("The snapshot file (" + file + ") line " + line
                            + ": a second EtcdFacts (" + facts.metadata().name()
                            + "). Maybe merge the members into one EtcdFacts document.");
                }
                acc.etcd = Optional.of(facts);
            }
            case SnapshotInfo info -> acc.info = Optional.of(info);
            default -> throw new IllegalStateException("Impossible kind (" + kind + ").");
        }
    }

    private static boolean isList(String kind, JsonNode items) {
        return (kind.equals("List") || kind.endsWith("List")) && items != null && items.isArray();
    }

    private static String describeMappingError(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping) {
            String path = SourceLines.pointer(mapping)
                    .toString()
                    .replaceFirst("^/", "")
                    .replace('/', '.');
            if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
                return "has an unknown field (" + path + "); known fields there are " + unknown.getKnownPropertyIds();
            }
            return "has a wrong value at (" + path + "): " + firstLine(e);
        }
        return firstLine(e);
    }

    private static String firstLine(Throwable e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    private static SnapshotException malformed(String file, boolean isJson, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null
                ? ""
                : " line " + location.getLineNr()
                        + (location.getColumnNr() > 0 ? " column " + location.getColumnNr() : "");
        String format = isJson ? "JSON" : "YAML";
        String hint = isJson
                ? "Maybe a comma or a closing bracket is missing; `kubectl get -o json` writes valid JSON."
                : "Maybe the indentation is off or a value needs quotes; `kubectl get -o yaml` writes valid YAML.";
        return new SnapshotException(
                "The snapshot file (" + file + ")" + where + ": malformed " + format + ": " + firstLine(e) + ". "
                        + hint,
                e);
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "sequence";
        }
        return node.isTextual() ? "string" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static List<Path> listFiles(Path path) {
        if (!Files.exists(path)) {
            throw new SnapshotException("The snapshot path (" + path + ") does not exist. Maybe run `kubectl remedy"
                    + " snapshot --output-dir " + path + "` first, or check the path.");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile)
                    .filter(SnapshotReader::isSnapshotFile)
                    .filter(p -> !isHidden(path.relativize(p)))
                    .sorted((a, b) -> path.relativize(a)
                            .toString()
                            .compareTo(path.relativize(b).toString()))
                    .toList();
        } catch (IOException e) {
            throw new SnapshotException("The snapshot directory (" + path + ") cannot be listed: " + e.getMessage()
                    + ". Maybe check its permissions.");
        }
    }

    private static boolean isSnapshotFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The file's bytes, read into one of {@code buffers}. */
    private static Content readContent(Path file, Buffers buffers) {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size >= Integer.MAX_VALUE - 16) {
                return Content.of(readBytes(file));
            }
            // One byte more than the file's size, to see whether it grew while being read.
            byte[] array = buffers.take((int) size + 1);
            ByteBuffer buffer = ByteBuffer.wrap(array, 0, (int) size + 1);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read on until the end of the file
            }
            if (!buffer.hasRemaining()) {
                buffers.give(array);
                return Content.of(readBytes(file));
            }
            return new Content(array, buffer.position(), true);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static SnapshotException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new SnapshotException("The snapshot file (" + file + ") vanished while reading. Maybe another"
                    + " process is writing the snapshot; wait for it to finish.");
        }
        return new SnapshotException("The snapshot file (" + file + ") cannot be read: " + e.getMessage()
                + ". Maybe check its permissions.");
    }

    private static String displayName(String displayPath, Path root, Path file) {
        if (!Files.isDirectory(root)) {
            return displayPath;
        }
        String base = displayPath.endsWith("/") ? displayPath : displayPath + "/";
        return base + root.relativize(file);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256.", e);
        }
    }

    /** What the documents of a snapshot add up to, while they are being read. */
    public static final class Accumulator {
        final List<HasMetadata> objects = new ArrayList<>();
        final List<NodeFacts> nodeFacts = new ArrayList<>();
        final List<ReadNote> notes = new ArrayList<>();
        final Map<InsightsArchive.Inferred, Integer> insightsLayouts = new TreeMap<>(
                Comparator.comparing(InsightsArchive.Inferred::kind).thenComparing(InsightsArchive.Inferred::layout));
        Optional<EtcdFacts> etcd = Optional.empty();
        Optional<SnapshotInfo> info = Optional.empty();

        Mark mark() {
            return new Mark(objects.size(), nodeFacts.size(), notes.size(), Map.copyOf(insightsLayouts), etcd, info);
        }

        void reset(Mark mark) {
            objects.subList(mark.objects(), objects.size()).clear();
            nodeFacts.subList(mark.nodeFacts(), nodeFacts.size()).clear();
            notes.subList(mark.notes(), notes.size()).clear();
            insightsLayouts.clear();
            insightsLayouts.putAll(mark.insightsLayouts());
            etcd = mark.etcd();
            info = mark.info();
        }

        /** What an accumulator held before a file, to read the file again from there. */
        record Mark(
                int objects,
                int nodeFacts,
                int notes,
                Map<InsightsArchive.Inferred, Integer> insightsLayouts,
                Optional<EtcdFacts> etcd,
                Optional<SnapshotInfo> info) {}
    }
}
