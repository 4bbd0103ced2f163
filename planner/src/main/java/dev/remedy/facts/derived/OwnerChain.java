package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controllers above a pod, followed through {@code ownerReferences} (Pod → ReplicaSet → Deployment), and
 * the workload a person edits to change the pod: the topmost controller found in the snapshot. The
 * {@code description} holds the chain after the pod ({@code  → ReplicaSet web-5d8 → Deployment web}), written once
 * per chain: the pods of one ReplicaSet share their chain, and each of 150,000 pods describing it anew cost more
 * than the rest of its facts.
 */
public record OwnerChain(List<HasMetadata> owners, List<String> missing, Description description) {

    public OwnerChain(List<HasMetadata> owners, List<String> missing) {
        this(owners, missing, new Description(above(owners, missing)));
    }

    /** The chain of a pod without a controller. */
    static final OwnerChain NONE = new OwnerChain(List.of(), List.of());

    /** Follows controller references from {@code pod} as far as the snapshot holds the owners. */
    public static OwnerChain of(Snapshot snapshot, Pod pod) {
        List<HasMetadata> owners = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        HasMetadata current = pod;
        for (int depth = 0; depth < 4; depth++) {
            OwnerReference reference = controllerOf(current);
            if (reference == null) {
                break;
            }
            Optional<HasMetadata> owner =
                    snapshot.object(reference.getKind(), current.getMetadata().getNamespace(), reference.getName());
            if (owner.isEmpty()) {
                missing.add(reference.getKind() + " " + reference.getName());
                break;
            }
            owners.add(owner.get());
            current = owner.get();
        }
        return owners.isEmpty() && missing.isEmpty() ? NONE : new OwnerChain(List.copyOf(owners), List.copyOf(missing));
    }

    /** The topmost controller in the snapshot, if the pod has one there. */
    public Optional<HasMetadata> workload() {
        return owners.isEmpty() ? Optional.empty() : Optional.of(owners.getLast());
    }

    /** Whether the chain ends at a controller whose pod template a person edits. */
    public boolean endsAtEditableWorkload() {
        return workload()
                .map(HasMetadata::getKind)
                .filter(k -> k.equals("Deployment") || k.equals("StatefulSet") || k.equals("DaemonSet"))
                .isPresent();
    }

    /** {@code Pod web-1 → ReplicaSet web-5d8 → Deployment web}, ending with what could not be found. */
    public String describe(Pod pod) {
        return description.of(pod.getMetadata().getName());
    }

    /**
     * The description of a chain after the pod ({@code above}). As a pod's {@code ownerChain} fact it is the
     * description of the pod its facts name, made when they are read: one object per chain, where a string per pod
     * was 150 bytes or more for each of 150,000 pods, kept until matching ends and read only for a finding.
     */
    public record Description(String above) implements FactMap.Deferred {

        /** The chain's description with the pod named {@code pod} in front. */
        public String of(String pod) {
            return "Pod " + pod + above;
        }

        @Override
        public Object value(Map<String, Object> facts) {
            return of((String) facts.get("name"));
        }
    }

    private static String above(List<HasMetadata> owners, List<String> missing) {
        StringBuilder text = new StringBuilder();
        for (HasMetadata owner : owners) {
            text.append(" → ")
                    .append(owner.getKind())
                    .append(' ')
                    .append(owner.getMetadata().getName());
        }
        for (String kindAndName : missing) {
            text.append(" → ").append(kindAndName).append(" (not in the snapshot)");
        }
        return text.toString();
    }

    /** The {@code ref} of the workload, with its resourceVersion for the precondition. */
    public Optional<Map<String, Object>> workloadRef() {
        return workload()
                .map(w -> Facts.ref(
                        w.getKind(),
                        w.getMetadata().getNamespace(),
                        w.getMetadata().getName(),
                        null));
    }

    /** The reference marked controller, else the first one; null when there is none. */
    static OwnerReference controllerOf(HasMetadata object) {
        return controllerOf(object.getMetadata().getOwnerReferences());
    }

    /** {@link #controllerOf(HasMetadata)} among an object's {@code references}, which may be null. */
    static OwnerReference controllerOf(List<OwnerReference> references) {
        if (references == null || references.isEmpty()) {
            return null;
        }
        for (OwnerReference reference : references) {
            if (Boolean.TRUE.equals(reference.getController())) {
                return reference;
            }
        }
        return references.getFirst();
    }
}
