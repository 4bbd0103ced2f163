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
 * the workload a person edits to change the pod: the topmost controller found in the snapshot.
 */
public record OwnerChain(List<HasMetadata> owners, List<String> missing) {

    /** Follows controller references from {@code pod} as far as the snapshot holds the owners. */
    public static OwnerChain of(Snapshot snapshot, Pod pod) {
        List<HasMetadata> owners = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        HasMetadata current = pod;
        for (int depth = 0; depth < 4; depth++) {
            Optional<OwnerReference> controller = controllerOf(current);
            if (controller.isEmpty()) {
                break;
            }
            String namespace = current.getMetadata().getNamespace();
            OwnerReference reference = controller.get();
            Optional<HasMetadata> owner = snapshot.object(reference.getKind(), namespace, reference.getName());
            if (owner.isEmpty()) {
                missing.add(reference.getKind() + " " + reference.getName());
                break;
            }
            owners.add(owner.get());
            current = owner.get();
        }
        return new OwnerChain(List.copyOf(owners), List.copyOf(missing));
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
        StringBuilder text = new StringBuilder("Pod " + pod.getMetadata().getName());
        owners.forEach(o -> text.append(" → ")
                .append(o.getKind())
                .append(' ')
                .append(o.getMetadata().getName()));
        missing.forEach(m -> text.append(" → ").append(m).append(" (not in the snapshot)"));
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

    private static Optional<OwnerReference> controllerOf(HasMetadata object) {
        List<OwnerReference> references = object.getMetadata().getOwnerReferences();
        if (references == null) {
            return Optional.empty();
        }
        return references.stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()))
                .findFirst()
                .or(() -> references.stream().findFirst());
    }
}
