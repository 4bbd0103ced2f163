package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link FactCollection} derives from: the snapshot, the moment planned at, the cluster-wide facts. Work
 * that several collections need is done here once per derivation: the pods listed and sorted (at 150,000 pods
 * each copy and sort of the list is a pass over a gigabyte of objects), the pods indexed by label, the owner
 * chains, and the cluster-wide CNI facts.
 */
public final class FactContext {

    private final Snapshot snapshot;
    private final Instant now;
    private final Map<String, Object> cluster;
    private List<Pod> pods;
    private List<Pod> sortedPods;
    private PodIndex podIndex;
    private final Map<HasMetadata, OwnerChain> chainsByOwner = new IdentityHashMap<>();
    private final Map<HasMetadata, Map<String, Object>> workloadRefs = new IdentityHashMap<>();
    private OwnerReference lastReference;
    private String lastNamespace;
    private OwnerChain lastChain;
    private Map<String, Object> cniCluster;

    public FactContext(Snapshot snapshot, Instant now, Map<String, Object> cluster) {
        this.snapshot = snapshot;
        this.now = now;
        this.cluster = cluster;
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
        if (pods == null) {
            pods = List.copyOf(snapshot.pods());
        }
        return pods;
    }

    /** The snapshot's pods by namespace and name, unmodifiable. */
    public List<Pod> sortedPods() {
        if (sortedPods == null) {
            sortedPods = List.copyOf(PodCollection.sorted(pods()));
        }
        return sortedPods;
    }

    /** The pods by namespace and label, for the collections that select pods as Services and budgets do. */
    PodIndex podIndex() {
        if (podIndex == null) {
            podIndex = new PodIndex(sortedPods());
        }
        return podIndex;
    }

    /** The cluster-wide CNI facts ({@link CniAnalysis#cluster}); read-only, as every CNI item holds them. */
    public Map<String, Object> cniCluster() {
        if (cniCluster == null) {
            cniCluster = CniAnalysis.cluster(this);
        }
        return cniCluster;
    }

    /**
     * The controllers above {@code pod}, as {@link OwnerChain#of} follows them. A chain depends only on the kind,
     * namespace and name of the pod's controller reference, so the pods of one ReplicaSet share one chain:
     * followed once per owner, not once per pod, and never a map entry per pod. Replicas are neighbours in name
     * order, so a pod whose reference names the previous pod's owner skips the lookup too.
     */
    public OwnerChain ownerChain(Pod pod) {
        OwnerReference reference = OwnerChain.controllerOf(pod);
        if (reference == null) {
            return OwnerChain.NONE;
        }
        String namespace = pod.getMetadata().getNamespace();
        if (lastChain != null
                && Objects.equals(reference.getName(), lastReference.getName())
                && Objects.equals(reference.getKind(), lastReference.getKind())
                && Objects.equals(namespace, lastNamespace)) {
            return lastChain;
        }
        Optional<HasMetadata> owner = snapshot.object(reference.getKind(), namespace, reference.getName());
        OwnerChain chain = owner.isEmpty()
                ? OwnerChain.of(snapshot, pod)
                : chainsByOwner.computeIfAbsent(owner.get(), o -> OwnerChain.of(snapshot, pod));
        lastReference = reference;
        lastNamespace = namespace;
        lastChain = chain;
        return chain;
    }

    /** {@link OwnerChain#workloadRef}, one unmodifiable map per workload that its pods' facts share. */
    public Optional<Map<String, Object>> workloadRef(OwnerChain chain) {
        return chain.workload()
                .map(w -> workloadRefs.computeIfAbsent(
                        w, k -> Collections.unmodifiableMap(chain.workloadRef().orElseThrow())));
    }
}
