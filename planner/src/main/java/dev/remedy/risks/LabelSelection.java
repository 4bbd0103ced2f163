package dev.remedy.risks;

import dev.remedy.facts.LabelSelectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A label selector (matchLabels and matchExpressions), evaluated against a label map. */
record LabelSelection(Map<String, String> matchLabels, List<LabelSelectorRequirement> expressions) {

    static LabelSelection of(Map<String, String> labels) {
        return new LabelSelection(labels == null ? Map.of() : new TreeMap<>(labels), List.of());
    }

    static LabelSelection of(LabelSelector selector) {
        if (selector == null) {
            return null;
        }
        return new LabelSelection(
                selector.getMatchLabels() == null ? Map.of() : new TreeMap<>(selector.getMatchLabels()),
                selector.getMatchExpressions() == null ? List.of() : List.copyOf(selector.getMatchExpressions()));
    }

    boolean isEmpty() {
        return matchLabels.isEmpty() && expressions.isEmpty();
    }

    boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> entry : matchLabels.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        for (LabelSelectorRequirement requirement : expressions) {
            if (!LabelSelectors.holds(requirement, labels)) {
                return false;
            }
        }
        return true;
    }

    /** As YAML for a patch: matchLabels only when there are no expressions. */
    Map<String, Object> yaml() {
        Map<String, Object> yaml = new java.util.LinkedHashMap<>();
        if (!matchLabels.isEmpty()) {
            yaml.put("matchLabels", new TreeMap<>(matchLabels));
        }
        if (!expressions.isEmpty()) {
            yaml.put(
                    "matchExpressions",
                    expressions.stream()
                            .map(e -> Maps.ordered(
                                    "key",
                                    e.getKey(),
                                    "operator",
                                    e.getOperator(),
                                    "values",
                                    e.getValues() == null ? List.of() : e.getValues()))
                            .toList());
        }
        return yaml;
    }
}
