package dev.remedy.facts.derived;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The pods by namespace and by namespace and label, each list by namespace and name, with the metadata beside
 * their keys ({@link PodCollection.Keyed}): the labels to test are there without reading the pod. Services and
 * PodDisruptionBudgets test only the pods that carry the rarest of their required labels: a scan of the
 * namespace per selector is quadratic when one namespace holds most of the cluster. Built once per derivation
 * for both, with no key object per pod and label.
 */
final class PodIndex {

    private final Map<String, Namespace> namespaces = new HashMap<>();

    /** One namespace's pods, and its pods by label key and value. */
    private record Namespace(
            List<PodCollection.Keyed> pods, Map<String, Map<String, List<PodCollection.Keyed>>> byLabel) {}

    /**
     * Indexes {@code sortedPods}, which are in namespace and name order. The replicas of a workload are neighbours in
     * that order and share one labels map (the reader hands out one copy of each), so a pod whose labels are the
     * previous pod's joins the previous pod's lists without looking up each label again.
     */
    PodIndex(List<PodCollection.Keyed> sortedPods) {
        Namespace namespace = null;
        String namespaceName = null;
        Map<String, String> lastLabels = null;
        List<List<PodCollection.Keyed>> lastLists = new ArrayList<>();
        for (PodCollection.Keyed pod : sortedPods) {
            String name = pod.namespace();
            if (namespace == null || !Objects.equals(name, namespaceName)) {
                namespace = namespaces.computeIfAbsent(name, n -> new Namespace(new ArrayList<>(), new HashMap<>()));
                namespaceName = name;
                lastLabels = null;
            }
            namespace.pods().add(pod);
            Map<String, String> labels = pod.labels();
            if (labels == null) {
                continue;
            }
            if (labels != lastLabels) {
                lastLists.clear();
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    lastLists.add(namespace
                            .byLabel()
                            .computeIfAbsent(label.getKey(), k -> new HashMap<>())
                            .computeIfAbsent(label.getValue(), v -> new ArrayList<>()));
                }
                lastLabels = labels;
            }
            for (int i = 0; i < lastLists.size(); i++) {
                lastLists.get(i).add(pod);
            }
        }
    }

    /** Every pod in {@code namespace}. */
    List<PodCollection.Keyed> inNamespace(String namespace) {
        Namespace pods = namespaces.get(namespace);
        return pods == null ? List.of() : pods.pods();
    }

    /**
     * A superset of the pods in {@code namespace} that carry every label of {@code required}: the pods with
     * the rarest of them, or all of the namespace's pods when nothing is required.
     */
    List<PodCollection.Keyed> candidates(String namespace, Map<String, String> required) {
        Namespace pods = namespaces.get(namespace);
        if (pods == null) {
            return List.of();
        }
        List<PodCollection.Keyed> fewest = pods.pods();
        if (required == null) {
            return fewest;
        }
        for (Map.Entry<String, String> label : required.entrySet()) {
            List<PodCollection.Keyed> labelled =
                    pods.byLabel().getOrDefault(label.getKey(), Map.of()).getOrDefault(label.getValue(), List.of());
            if (labelled.size() < fewest.size()) {
                fewest = labelled;
            }
        }
        return fewest;
    }

    /**
     * A label selector's answer for each pod's labels, asked once per labels map: the index lists a workload's
     * replicas as neighbours, and they share one labels map (the reader hands out one copy of each), so a pass over
     * {@link #candidates} tests each selector about once per workload rather than once per pod.
     */
    static final class SelectorTest {
        private final Predicate<Map<String, String>> selects;
        private boolean tested;
        private Map<String, String> lastLabels;
        private boolean lastAnswer;

        SelectorTest(Predicate<Map<String, String>> selects) {
            this.selects = selects;
        }

        /** Whether the selector selects a pod with these labels (which may be null). */
        boolean selects(Map<String, String> labels) {
            if (!tested || labels != lastLabels) {
                lastAnswer = selects.test(labels);
                lastLabels = labels;
                tested = true;
            }
            return lastAnswer;
        }
    }
}
