package dev.remedy.facts.derived;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods by namespace and by namespace and label, each list by namespace and name. Services and
 * PodDisruptionBudgets test only the pods that carry the rarest of their required labels: a scan of the
 * namespace per selector is quadratic when one namespace holds most of the cluster. Built once per derivation
 * for both, with no key object per pod and label.
 */
final class PodIndex {

    private final Map<String, Namespace> namespaces = new HashMap<>();

    /** One namespace's pods, and its pods by label key and value. */
    private record Namespace(List<Pod> pods, Map<String, Map<String, List<Pod>>> byLabel) {}

    /** Indexes {@code sortedPods}, which are in namespace and name order. */
    PodIndex(List<Pod> sortedPods) {
        for (Pod pod : sortedPods) {
            Namespace namespace = namespaces.computeIfAbsent(
                    pod.getMetadata().getNamespace(), n -> new Namespace(new ArrayList<>(), new HashMap<>()));
            namespace.pods().add(pod);
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (labels != null) {
                labels.forEach((key, value) -> namespace
                        .byLabel()
                        .computeIfAbsent(key, k -> new HashMap<>())
                        .computeIfAbsent(value, v -> new ArrayList<>())
                        .add(pod));
            }
        }
    }

    /** Every pod in {@code namespace}. */
    List<Pod> inNamespace(String namespace) {
        Namespace pods = namespaces.get(namespace);
        return pods == null ? List.of() : pods.pods();
    }

    /**
     * A superset of the pods in {@code namespace} that carry every label of {@code required}: the pods with
     * the rarest of them, or all of the namespace's pods when nothing is required.
     */
    List<Pod> candidates(String namespace, Map<String, String> required) {
        Namespace pods = namespaces.get(namespace);
        if (pods == null) {
            return List.of();
        }
        List<Pod> fewest = pods.pods();
        if (required == null) {
            return fewest;
        }
        for (Map.Entry<String, String> label : required.entrySet()) {
            List<Pod> labelled =
                    pods.byLabel().getOrDefault(label.getKey(), Map.of()).getOrDefault(label.getValue(), List.of());
            if (labelled.size() < fewest.size()) {
                fewest = labelled;
            }
        }
        return fewest;
    }
}
