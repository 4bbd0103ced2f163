package dev.remedy.facts.derived;

import dev.remedy.facts.Lazy;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link FactCollection} derives from: the snapshot, the moment planned at, the cluster-wide facts. Work
 * that several collections need is done here once per derivation: the pods listed and sorted (at 150,000 pods
 * each copy and sort of the list is a pass over a gigabyte of objects; the one pass that reads their namespaces
 * and names for the sort also finds the kube-system pods), the pods indexed by label, the owner
 * chains, and the cluster-wide CNI facts. Collections are derived on two threads at once, so each shared value is
 * worked out once by whichever thread asks first ({@link Lazy}), and the owner chains are shared under a lock.
 */
public final class FactContext {

    private static final String SYSTEM = "kube-system";

    private final Snapshot snapshot;
    private final Instant now;
    private final Map<String, Object> cluster;
    private final List<Pod> pods;
    private final Lazy<List<PodCollection.Keyed>> sortedKeyed;
    private final Lazy<List<Pod>> sortedPods;
    private final Lazy<List<Pod>> systemPods;
    private final Lazy<List<Pod>> podsWithIp;
    private final Lazy<PodIndex> podIndex;
    private final Lazy<Map<String, Object>> cniCluster;
    /** Guarded by itself. */
    private final Map<HasMetadata, OwnerChain> chainsByOwner = new IdentityHashMap<>();
    /** Guarded by itself. */
    private final Map<HasMetadata, Map<String, Object>> workloadRefs = new IdentityHashMap<>();
    /** Guarded by itself. */
    private final Map<String, String> sha256ByContent = new HashMap<>();
    /** Guarded by itself. */
    private final Map<String, CniAnalysis.Parsed> cniConfigsByContent = new HashMap<>();

    public FactContext(Snapshot snapshot, Instant now, Map<String, Object> cluster) {
        this.snapshot = snapshot;
        this.now = now;
        this.cluster = cluster;
        this.pods = snapshot.view(Pod.class);
        Lazy<List<PodCollection.Keyed>> keyed =
                Lazy.of(() -> Collections.unmodifiableList(PodCollection.keyed(pods, owners())));
        this.sortedKeyed = Lazy.of(() -> Collections.unmodifiableList(PodCollection.sortedKeyed(keyed.get())));
        this.sortedPods = Lazy.of(() -> Collections.unmodifiableList(PodCollection.pods(sortedKeyed.get())));
        this.systemPods = Lazy.of(() -> keyed.get().stream()
                .filter(p -> SYSTEM.equals(p.namespace()))
                .map(PodCollection.Keyed::pod)
                .toList());
        this.podsWithIp = Lazy.of(() -> CniAnalysis.podsWithIp(this));
        this.podIndex = Lazy.of(() -> new PodIndex(sortedKeyed()));
        this.cniCluster = Lazy.of(() -> CniAnalysis.cluster(this));
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Instant now() {
        return now;
    }

    public Map<String, Object> cluster() {
        return cluster;
    }

    /** The snapshot's pods in its own order, unmodifiable. */
    public List<Pod> pods() {
        return pods;
    }

    /** The snapshot's pods by namespace and name, unmodifiable. */
    public List<Pod> sortedPods() {
        return sortedPods.get();
    }

    /**
     * {@link #sortedPods} with the metadata that passes over every pod read ({@link PodCollection.Keyed}),
     * unmodifiable.
     */
    List<PodCollection.Keyed> sortedKeyed() {
        return sortedKeyed.get();
    }

    /**
     * The snapshot's pods in kube-system, in its own order: where the control plane runs, which several facts read
     * without passing over every pod for it.
     */
    public List<Pod> systemPods() {
        return systemPods.get();
    }

    /** {@link CniAnalysis#podsWithIp}, which the cluster-wide and the per-node CNI facts both read. */
    List<Pod> podsWithIp() {
        return podsWithIp.get();
    }

    /** The pods by namespace and label, for the collections that select pods as Services and budgets do. */
    PodIndex podIndex() {
        return podIndex.get();
    }

    /** The cluster-wide CNI facts ({@link CniAnalysis#cluster}); read-only, as every CNI item holds them. */
    public Map<String, Object> cniCluster() {
        return cniCluster.get();
    }

    /**
     * The controllers above {@code pod}, as {@link OwnerChain#of} follows them. A chain depends only on the kind,
     * namespace and name of the pod's controller reference, so the pods of one ReplicaSet share one chain:
     * followed once per owner, not once per pod, and never a map entry per pod. A pass over many pods asks
     * {@link #owners()} instead.
     */
    public OwnerChain ownerChain(Pod pod) {
        OwnerReference reference = OwnerChain.controllerOf(pod);
        return reference == null
                ? OwnerChain.NONE
                : chain(pod, pod.getMetadata().getNamespace(), reference);
    }

    private OwnerChain chain(Pod pod, String namespace, OwnerReference reference) {
        Optional<HasMetadata> owner = snapshot.object(reference.getKind(), namespace, reference.getName());
        if (owner.isEmpty()) {
            return OwnerChain.of(snapshot, pod);
        }
        synchronized (chainsByOwner) {
            return chainsByOwner.computeIfAbsent(owner.get(), o -> OwnerChain.of(snapshot, pod));
        }
    }

    /** {@link OwnerChain#workloadRef}, one unmodifiable map per workload that its pods' facts share. */
    public Optional<Map<String, Object>> workloadRef(OwnerChain chain) {
        if (chain.workload().isEmpty()) {
            return Optional.empty();
        }
        synchronized (workloadRefs) {
            return Optional.of(workloadRefs.computeIfAbsent(
                    chain.workload().get(),
                    w -> Collections.unmodifiableMap(chain.workloadRef().orElseThrow())));
        }
    }

    /**
     * {@link Facts#sha256} of {@code content}, worked out once per content in a derivation. Nodes carry the same files:
     * at 5,000 nodes one kubelet config and one CNI config between them, each hashed for several facts of every node,
     * and a hash (the bytes, a digest and its hex) cost more than finding the content among those already hashed.
     */
    public String sha256(String content) {
        synchronized (sha256ByContent) {
            return sha256ByContent.computeIfAbsent(content, Facts::sha256);
        }
    }

    /**
     * {@link CniAnalysis#parse} of a CNI config's {@code content}, parsed once per content in a derivation as
     * {@link #sha256} hashes: every node holds the same config, read for the cluster-wide and the per-node facts.
     */
    CniAnalysis.Parsed cniConfig(String content) {
        synchronized (cniConfigsByContent) {
            return cniConfigsByContent.computeIfAbsent(content, CniAnalysis::parse);
        }
    }

    /** The owner chains for one pass over pods, on one thread. */
    public Owners owners() {
        return new Owners();
    }

    /**
     * {@link #ownerChain} and {@link #workloadRef} for a pass over pods. Replicas are neighbours in name order, and
     * in a snapshot's own order too (kubectl lists by namespace and name), so a pod whose reference names the
     * previous pod's owner gets the previous chain without a lookup or a lock. One pass, one thread: it remembers
     * only the previous pod.
     */
    public final class Owners {

        private OwnerReference lastReference;
        private String lastNamespace;
        private OwnerChain lastChain;
        private OwnerChain lastRefChain;
        private Optional<Map<String, Object>> lastRef;

        private Owners() {}

        /** {@link #ownerChain} of {@code pod}, from its namespace and owner {@code references}. */
        OwnerChain chain(Pod pod, String namespace, List<OwnerReference> references) {
            OwnerReference reference = OwnerChain.controllerOf(references);
            if (reference == null) {
                return OwnerChain.NONE;
            }
            if (lastChain != null
                    && Objects.equals(reference.getName(), lastReference.getName())
                    && Objects.equals(reference.getKind(), lastReference.getKind())
                    && Objects.equals(namespace, lastNamespace)) {
                return lastChain;
            }
            OwnerChain chain = FactContext.this.chain(pod, namespace, reference);
            lastReference = reference;
            lastNamespace = namespace;
            lastChain = chain;
            return chain;
        }

        public Optional<Map<String, Object>> workloadRef(OwnerChain chain) {
            if (chain != lastRefChain) {
                lastRef = FactContext.this.workloadRef(chain);
                lastRefChain = chain;
            }
            return lastRef;
        }
    }
}
