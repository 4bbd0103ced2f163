package dev.remedy.facts;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * One resource's quantities as whole numbers (CPU in millicores with a scale of 1000, memory in bytes with 1),
 * each distinct quantity (by format, then amount, as written) parsed once: a large cluster's pods repeat a few
 * request strings, and parsing each into a BigDecimal was most of the cost of modelling them. Used by the solver's
 * model and by the verifier alike, as {@link LabelSelectors} is, so that they never disagree on a request. One
 * instance per pass over a snapshot; not thread-safe.
 */
public final class ResourceAmounts {

    private final BigDecimal scale;
    private final Map<String, Map<String, Long>> byFormat = new HashMap<>();

    public ResourceAmounts(int scale) {
        this.scale = BigDecimal.valueOf(scale);
    }

    /** The amount of {@code resource} in {@code quantities}, scaled; 0 when either is missing. */
    public long of(Map<String, Quantity> quantities, String resource) {
        Quantity quantity = quantities == null ? null : quantities.get(resource);
        if (quantity == null) {
            return 0;
        }
        Map<String, Long> byAmount = byFormat.computeIfAbsent(quantity.getFormat(), f -> new HashMap<>());
        Long parsed = byAmount.get(quantity.getAmount());
        if (parsed == null) {
            parsed = quantity.getNumericalAmount().multiply(scale).longValue();
            byAmount.put(quantity.getAmount(), parsed);
        }
        return parsed;
    }
}
