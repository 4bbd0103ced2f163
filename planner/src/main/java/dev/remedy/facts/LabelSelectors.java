package dev.remedy.facts;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Label selectors as the API server evaluates them: every matchLabels pair and every matchExpressions requirement
 * must hold. The one evaluation the facts, the solver, the verifier and the risk simulation share, so that they
 * never disagree on which pods a budget or a workload covers.
 */
public final class LabelSelectors {

    private LabelSelectors() {}

    /**
     * Whether {@code selector} selects an object with {@code labels}. A null selector selects nothing (a
     * PodDisruptionBudget without one covers no pod); an empty one selects everything in its namespace.
     */
    public static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> present = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(present.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!holds(requirement, present)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One matchExpressions requirement; an operator the API does not define never holds. */
    public static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
        return holds(requirement.getOperator(), labels.get(requirement.getKey()), requirement.getValues(), false);
    }

    /**
     * One requirement of a node selector term (required node affinity) on the node's label or field {@code value}:
     * label operators, and Gt/Lt, which compare integers and never hold for a value that is not one.
     */
    public static boolean holds(NodeSelectorRequirement requirement, String value) {
        return holds(requirement.getOperator(), value, requirement.getValues(), true);
    }

    private static boolean holds(String operator, String value, List<String> values, boolean numeric) {
        List<String> candidates = values == null ? List.of() : values;
        return switch (operator) {
            case "In" -> value != null && candidates.contains(value);
            case "NotIn" -> value == null || !candidates.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> numeric && compare(value, candidates) > 0;
            case "Lt" -> numeric && compare(value, candidates) < 0;
            default -> false;
        };
    }

    /** The sign of value minus the single integer in {@code values}; 0 when either is not an integer. */
    private static int compare(String value, List<String> values) {
        if (value == null || values.size() != 1) {
            return 0;
        }
        try {
            return Long.compare(
                    Long.parseLong(value.strip()), Long.parseLong(values.get(0).strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
