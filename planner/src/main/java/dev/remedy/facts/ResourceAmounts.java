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
    /**
     * The last quantity parsed, by its strings: the reader shares the strings of repeated quantities, so the
     * same request on the next container is mostly the same two instances, found with no lookup.
     */
    private String lastAmount;

    private String lastFormat;
    private long lastParsed;

    public ResourceAmounts(int scale) {
        this.scale = BigDecimal.valueOf(scale);
    }

    /** The amount of {@code resource} in {@code quantities}, scaled; 0 when either is missing. */
    public long of(Map<String, Quantity> quantities, String resource) {
        Quantity quantity = quantities == null ? null : quantities.get(resource);
        if (quantity == null) {
            return 0;
        }
        String amount = quantity.getAmount();
        String format = quantity.getFormat();
        if (amount == lastAmount && format == lastFormat && amount != null) {
            return lastParsed;
        }
        Map<String, Long> byAmount = byFormat.computeIfAbsent(format, f -> new HashMap<>());
        Long parsed = byAmount.get(amount);
        if (parsed == null) {
            parsed = quantity.getNumericalAmount().multiply(scale).longValue();
            byAmount.put(amount, parsed);
        }
        lastAmount = amount;
        lastFormat = format;
        lastParsed = parsed;
        return parsed;
    }
}
