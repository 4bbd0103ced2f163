package dev.remedy.facts;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything known about one cluster at one moment: its API objects, the host facts of its nodes, the etcd
 * facts, and an account of what could not be read. Objects keep their input order within a kind, which is
 * made deterministic by the readers (files in path order, list items in list order).
 */
public final class Snapshot {

    private final String source;
    private final String fingerprint;
    private final List<HasMetadata> objects;
    private final Map<Class<?>, List<HasMetadata>> byType = new HashMap<>();
    // Indexes built on first use, each once, since fact collections read them from two threads at once.
    private final Lazy<Map<String, Node>> nodesByName = Lazy.of(this::indexNodes);
    private final Lazy<Map<String, Lazy<ObjectIndex>>> objectsByKind = Lazy.of(this::groupByKind);
    private final Lazy<Map<ObjectKey, List<Event>>> eventsByInvolved = Lazy.of(this::indexEvents);
    private final Map<Class<?>, Lazy<Map<NameKey, List<HasMetadata>>>> namedByType = new HashMap<>();
    private final Map<String, NodeFacts> nodeFacts;
    private final Optional<EtcdFacts> etcd;
    private final Optional<SnapshotInfo> info;
    private final List<ReadNote> notes;

    public Snapshot(
            String source,
            String fingerprint,
            List<HasMetadata> objects,
            List<NodeFacts> nodeFacts,
            Optional<EtcdFacts> etcd,
            Optional<SnapshotInfo> info,
            List<ReadNote> notes) {
        this.source = source;
        this.fingerprint = fingerprint;
        this.objects = List.copyOf(objects);
        // Objects of a kind come together (a list, a file), so the list of the last class is kept aside: a class's
        // hash is its identity hash, a call into the JVM for each of the hundreds of thousands of objects.
        Class<?> lastType = null;
        List<HasMetadata> ofLastType = null;
        for (HasMetadata object : this.objects) {
            if (object.getClass() != lastType) {
                lastType = object.getClass();
                ofLastType = byType.computeIfAbsent(lastType, c -> new ArrayList<>());
            }
            ofLastType.add(object);
        }
        byType.forEach((type, ofType) -> namedByType.put(type, Lazy.of(() -> indexNamed(ofType))));
        Map<String, NodeFacts> byNode = new TreeMap<>();
        nodeFacts.forEach(facts -> byNode.put(facts.nodeName(), facts));
        this.nodeFacts = byNode;
        this.etcd = etcd;
        this.info = info;
        this.notes = List.copyOf(notes);
    }

    /** Where the facts came from: a snapshot path or a kubeconfig context. */
    public String source() {
        return source;
    }

    /** The sha256 of the facts, independent of how they were split into files. */
    public String fingerprint() {
        return fingerprint;
    }

    public List<HasMetadata> objects() {
        return objects;
    }

    /** The objects of exactly this class, in input order; a fresh list the caller may sort. */
    public <T extends HasMetadata> List<T> all(Class<T> type) {
        List<T> result = new ArrayList<>();
        for (HasMetadata object : byType.getOrDefault(type, List.of())) {
            result.add(type.cast(object));
        }
        return result;
    }

    /**
     * The objects of exactly this class, in input order, read-only: {@link #all} without its copy, for a reader
     * that passes over 150,000 pods and keeps none of them in a list of its own.
     */
    @SuppressWarnings("unchecked") // The list of a class holds only objects of that class.
    public <T extends HasMetadata> List<T> view(Class<T> type) {
        List<HasMetadata> ofType = byType.get(type);
        return ofType == null ? List.of() : (List<T>) Collections.unmodifiableList(ofType);
    }

    public List<Node> nodes() {
        List<Node> nodes = all(Node.class);
        nodes.sort(Comparator.comparing(n -> n.getMetadata().getName()));
        return nodes;
    }

    /** The Node of this name, if the snapshot has it. */
    public Optional<Node> node(String name) {
        return Optional.ofNullable(nodesByName.get().get(name));
    }

    private Map<String, Node> indexNodes() {
        Map<String, Node> index = new HashMap<>();
        all(Node.class).forEach(n -> index.put(n.getMetadata().getName(), n));
        return index;
    }

    /**
     * The first object, in input order, of this kind and name: in {@code namespace}, or in any namespace when
     * {@code namespace} is null. Each kind is indexed on first use, so that following owner references stays
     * linear without indexing the pods, which own nothing. An object without metadata (a malformed document) has
     * no name and is never found.
     */
    public Optional<HasMetadata> object(String kind, String namespace, String name) {
        Lazy<ObjectIndex> ofKind = objectsByKind.get().get(kind);
        if (ofKind == null) {
            return Optional.empty();
        }
        ObjectIndex index = ofKind.get();
        return Optional.ofNullable(
                namespace == null
                        ? index.anyNamespace().get(name)
                        : index.exact().get(new NameKey(namespace, name)));
    }

    private Map<String, Lazy<ObjectIndex>> groupByKind() {
        Map<String, List<HasMetadata>> groups = new HashMap<>();
        for (HasMetadata object : objects) {
            if (object.getMetadata() != null) {
                groups.computeIfAbsent(object.getKind(), k -> new ArrayList<>()).add(object);
            }
        }
        Map<String, Lazy<ObjectIndex>> byKind = new HashMap<>();
        groups.forEach((kind, ofKind) -> byKind.put(kind, Lazy.of(() -> ObjectIndex.of(ofKind))));
        return byKind;
    }

    /** The events whose involved object is this kind, namespace and name, in input order. */
    public List<Event> eventsAbout(String kind, String namespace, String name) {
        return eventsByInvolved.get().getOrDefault(new ObjectKey(kind, namespace, name), List.of());
    }

    private Map<ObjectKey, List<Event>> indexEvents() {
        Map<ObjectKey, List<Event>> index = new HashMap<>();
        for (Event event : events()) {
            var involved = event.getInvolvedObject();
            if (involved != null) {
                index.computeIfAbsent(
                                new ObjectKey(involved.getKind(), involved.getNamespace(), involved.getName()),
                                k -> new ArrayList<>())
                        .add(event);
            }
        }
        return index;
    }

    /**
     * The objects of exactly this class with this namespace and name, in input order, unmodifiable. Each class is
     * indexed on first use: a lookup of a ConfigMap does not index the pods.
     */
    @SuppressWarnings("unchecked") // The index of a class holds only objects of that class.
    public <T extends HasMetadata> List<T> named(Class<T> type, String namespace, String name) {
        Lazy<Map<NameKey, List<HasMetadata>>> index = namedByType.get(type);
        return index == null ? List.of() : (List<T>) index.get().getOrDefault(new NameKey(namespace, name), List.of());
    }

    private static Map<NameKey, List<HasMetadata>> indexNamed(List<HasMetadata> ofType) {
        Map<NameKey, List<HasMetadata>> index = new HashMap<>();
        for (HasMetadata object : ofType) {
            if (object.getMetadata() != null) {
                index.computeIfAbsent(
                                new NameKey(
                                        object.getMetadata().getNamespace(),
                                        object.getMetadata().getName()),
                                k -> new ArrayList<>(1))
                        .add(object);
            }
        }
        index.replaceAll((k, list) -> Collections.unmodifiableList(list));
        return index;
    }

    /** Whether the snapshot holds any object of exactly this class. */
    public boolean has(Class<? extends HasMetadata> type) {
        return byType.containsKey(type);
    }

    private record ObjectKey(String kind, String namespace, String name) {}

    private record NameKey(String namespace, String name) {}

    /** The objects of one kind by namespace and name, and by name alone; the first in input order wins. */
    private record ObjectIndex(Map<NameKey, HasMetadata> exact, Map<String, HasMetadata> anyNamespace) {

        static ObjectIndex of(List<HasMetadata> objects) {
            ObjectIndex index = new ObjectIndex(new HashMap<>(), new HashMap<>());
            for (HasMetadata object : objects) {
                String name = object.getMetadata().getName();
                index.exact().putIfAbsent(new NameKey(object.getMetadata().getNamespace(), name), object);
                index.anyNamespace().putIfAbsent(name, object);
            }
            return index;
        }
    }

    public List<Pod> pods() {
        return all(Pod.class);
    }

    public List<Deployment> deployments() {
        return all(Deployment.class);
    }

    public List<ReplicaSet> replicaSets() {
        return all(ReplicaSet.class);
    }

    public List<DaemonSet> daemonSets() {
        return all(DaemonSet.class);
    }

    public List<StatefulSet> statefulSets() {
        return all(StatefulSet.class);
    }

    public List<Service> services() {
        return all(Service.class);
    }

    public List<Endpoints> endpoints() {
        return all(Endpoints.class);
    }

    public List<PodDisruptionBudget> podDisruptionBudgets() {
        return all(PodDisruptionBudget.class);
    }

    public List<Event> events() {
        return all(Event.class);
    }

    public List<ConfigMap> configMaps() {
        return all(ConfigMap.class);
    }

    public List<Secret> secrets() {
        return all(Secret.class);
    }

    /** Host facts by node name, sorted by name. */
    public Map<String, NodeFacts> nodeFacts() {
        return nodeFacts;
    }

    public Optional<NodeFacts> nodeFacts(String nodeName) {
        return Optional.ofNullable(nodeFacts.get(nodeName));
    }

    public Optional<EtcdFacts> etcd() {
        return etcd;
    }

    public Optional<SnapshotInfo> info() {
        return info;
    }

    /** Documents that were read but not understood, and parts that could not be collected. */
    public List<ReadNote> notes() {
        return notes;
    }

    /** Whether something could not be read or collected: the facts are then partial. */
    public boolean partial() {
        return notes.stream().anyMatch(ReadNote::lost)
                || info.map(i -> !i.problems().isEmpty()).orElse(false);
    }
}
