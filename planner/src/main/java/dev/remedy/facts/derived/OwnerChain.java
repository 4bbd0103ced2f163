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
 * the workload a person edits to change the pod: the topmost controller found in the snapshot. {@code above} is
 * the description of the chain after the pod ({@code  → ReplicaSet web-5d8 → Deployment web}), written once per
 * chain: the pods of one ReplicaSet share their chain, and each of 150,000 pods describing it anew cost more
 * than the rest of its facts.
 */
public record OwnerChain(List<HasMetadata> owners, List<String> missing, String above) {

    public OwnerChain(List<HasMetadata> owners, List<String> missing) {
        this(owners, missing, above(owners, missing));
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
        return description(pod.getMetadata().getName(), above);
    }

    /** {@link #describe} of the pod named {@code pod}, written when a {@link FactMap} that holds it is read. */
    Description deferredDescription(String pod) {
        return new Description(pod, above);
    }

    /** {@link #describe}, held as the pod's name and the chain's description above it, which its replicas share. */
    record Description(String pod, String above) implements FactMap.Deferred {
        @Override
        public String value() {
            return description(pod, above);
        }
    }

    private static String description(String pod, String above) {
        return "Pod " + pod + above;
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
