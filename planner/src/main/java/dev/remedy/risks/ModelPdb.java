package dev.remedy.risks;

import dev.remedy.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.IntOrString;

/** A PodDisruptionBudget: how many of its pods must stay healthy. */
record ModelPdb(
        String namespace, String name, LabelSelection selector, IntOrString minAvailable, IntOrString maxUnavailable) {

    ObjectRef ref() {
        return new ObjectRef("PodDisruptionBudget", namespace, name, null);
    }

    /** The healthy pods the budget requires of {@code expected} pods, as the disruption controller rounds. */
    int desiredHealthy(int expected) {
        if (minAvailable != null) {
            return resolve(minAvailable, expected, true);
        }
        if (maxUnavailable != null) {
            return Math.max(0, expected - resolve(maxUnavailable, expected, true));
        }
        return 0;
    }

    private static int resolve(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text != null && text.endsWith("%")) {
            double percent = Double.parseDouble(text.substring(0, text.length() - 1));
            double exact = total * percent / 100.0;
            return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
        }
        return text == null ? 0 : Integer.parseInt(text);
    }
}
