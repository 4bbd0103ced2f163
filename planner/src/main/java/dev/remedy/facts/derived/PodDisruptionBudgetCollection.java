package dev.remedy.facts.derived;

import dev.remedy.facts.LabelSelectors;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code podDisruptionBudgets}: every PodDisruptionBudget with its minAvailable or maxUnavailable, the pods it
 * covers, the disruptions it allows, whether it can never allow one (so every drain of a node running its
 * pods hangs), and the workload behind its pods.
 */
public final class PodDisruptionBudgetCollection implements FactCollection {

    @Override
    public String name() {
        return "podDisruptionBudgets";
    }

    @Override
    public String description() {
        return "a PodDisruptionBudget with the pods it covers, the disruptions it allows and whether it blocks all";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<PodDisruptionBudget> budgets = new ArrayList<>(snapshot.podDisruptionBudgets());
        budgets.sort(Comparator.comparing((PodDisruptionBudget b) ->
                        Objects.toString(b.getMetadata().getNamespace(), ""))
                .thenComparing(b -> b.getMetadata().getName()));
        List<Map<String, Object>> result = new ArrayList<>();
        for (PodDisruptionBudget budget : budgets) {
            result.add(budget(context, budget));
        }
        return result;
    }

    private static Map<String, Object> budget(FactContext context, PodDisruptionBudget budget) {
        String namespace = budget.getMetadata().getNamespace();
        Map<String, Object> fact = new FactMap(16);
        fact.put(
                "ref",
                Facts.ref("PodDisruptionBudget", namespace, budget.getMetadata().getName(), null));
        fact.put("name", budget.getMetadata().getName());
        fact.put("namespace", namespace);
        if (budget.getMetadata().getResourceVersion() != null) {
            fact.put("resourceVersion", budget.getMetadata().getResourceVersion());
        }
        var spec = budget.getSpec();
        Optional.ofNullable(spec.getMinAvailable())
                .map(PodDisruptionBudgetCollection::text)
                .ifPresent(v -> fact.put("minAvailable", v));
        Optional.ofNullable(spec.getMaxUnavailable())
                .map(PodDisruptionBudgetCollection::text)
                .ifPresent(v -> fact.put("maxUnavailable", v));
        LabelSelector selector = spec.getSelector();
        List<PodCollection.Keyed> pods = new ArrayList<>();
        PodIndex.SelectorTest selected = new PodIndex.SelectorTest(labels -> LabelSelectors.selects(selector, labels));
        for (PodCollection.Keyed pod :
                context.podIndex().candidates(namespace, selector == null ? null : selector.getMatchLabels())) {
            if (selected.selects(pod.labels())) {
                pods.add(pod);
            }
        }
        Integer expected =
                budget.getStatus() == null ? null : budget.getStatus().getExpectedPods();
        int expectedPods = expected != null && expected > 0 ? expected : pods.size();
        fact.put("expectedPods", expectedPods);
        if (budget.getStatus() != null && budget.getStatus().getDisruptionsAllowed() != null) {
            fact.put("disruptionsAllowed", budget.getStatus().getDisruptionsAllowed());
        }
        blocksAll(spec.getMinAvailable(), spec.getMaxUnavailable(), expectedPods)
                .ifPresent(reason -> fact.put("blocksAllReason", reason));
        fact.put("blocksAll", fact.containsKey("blocksAllReason"));
        fact.put("relaxPatch", relaxPatch(spec.getMinAvailable()));
        // The index lists pods by namespace and name, so the first with a workload is the first by name.
        pods.stream()
                .map(p -> p.chain().workload())
                .flatMap(Optional::stream)
                .findFirst()
                .ifPresent(w -> fact.put("workload", workload(w)));
        return fact;
    }

    /**
     * Why the budget can never allow a voluntary disruption, even with every pod healthy: maxUnavailable 0,
     * minAvailable 100%, or a minAvailable count at least the number of pods it covers.
     */
    static Optional<String> blocksAll(IntOrString minAvailable, IntOrString maxUnavailable, int expectedPods) {
        if (maxUnavailable != null && isZero(maxUnavailable)) {
            return Optional.of("maxUnavailable " + text(maxUnavailable) + " allows no pod to be evicted");
        }
        if (minAvailable == null) {
            return Optional.empty();
        }
        if (minAvailable.getStrVal() != null && minAvailable.getStrVal().strip().equals("100%")) {
            return Optional.of("minAvailable 100% keeps every pod");
        }
        if (minAvailable.getIntVal() != null && expectedPods > 0 && minAvailable.getIntVal() >= expectedPods) {
            return Optional.of(
                    "minAvailable " + minAvailable.getIntVal() + " >= the " + expectedPods + " pod(s) it covers");
        }
        return Optional.empty();
    }

    /** The JSON patch that lets one pod go at a time: maxUnavailable 1 in place of what the budget has. */
    static List<Map<String, Object>> relaxPatch(IntOrString minAvailable) {
        List<Map<String, Object>> patch = new ArrayList<>();
        if (minAvailable != null) {
            patch.add(Facts.ordered("op", "remove", "path", "/spec/minAvailable"));
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("op", "add");
        set.put("path", "/spec/maxUnavailable");
        set.put("value", 1);
        patch.add(set);
        return patch;
    }

    private static boolean isZero(IntOrString value) {
        if (value.getIntVal() != null) {
            return value.getIntVal() == 0;
        }
        return value.getStrVal() != null && value.getStrVal().strip().matches("0+%?");
    }

    static String text(IntOrString value) {
        return value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
    }

    private static Map<String, Object> workload(HasMetadata workload) {
        Map<String, Object> fact = new FactMap(16);
        fact.put(
                "ref",
                Facts.ref(
                        workload.getKind(),
                        workload.getMetadata().getNamespace(),
                        workload.getMetadata().getName(),
                        null));
        fact.put("kind", workload.getKind());
        fact.put("name", workload.getMetadata().getName());
        if (workload.getMetadata().getResourceVersion() != null) {
            fact.put("resourceVersion", workload.getMetadata().getResourceVersion());
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.Deployment d && d.getSpec() != null) {
            fact.put("replicas", Facts.orDefault(d.getSpec().getReplicas(), 1));
        }
        if (workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s && s.getSpec() != null) {
            fact.put("replicas", Facts.orDefault(s.getSpec().getReplicas(), 1));
        }
        return fact;
    }
}
