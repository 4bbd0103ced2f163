package dev.remedy.facts.derived;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** Memory and CPU quantities as numbers, and back to the form a person writes in a manifest. */
public final class Quantities {

    static final long MI = 1024L * 1024L;

    private Quantities() {}

    /** The bytes of a memory quantity ({@code 256Mi}, {@code 1G}, {@code 134217728}); empty when unparsable. */
    public static Optional<Long> bytes(String quantity) {
        if (quantity == null || quantity.isBlank()) {
            return Optional.empty();
        }
        try {
            BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(quantity.strip()));
            return Optional.of(bytes.setScale(0, RoundingMode.CEILING).longValueExact());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The millicores of a CPU quantity ({@code 500m}, {@code 2}); empty when unparsable. */
    public static Optional<Long> millicores(String quantity) {
        if (quantity == null || quantity.isBlank()) {
            return Optional.empty();
        }
        try {
            BigDecimal cores = Quantity.getAmountInBytes(new Quantity(quantity.strip()));
            return Optional.of(cores.multiply(BigDecimal.valueOf(1000))
                    .setScale(0, RoundingMode.CEILING)
                    .longValueExact());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Bytes as whole mebibytes, rounded up: {@code 402653184} is {@code 384Mi}. */
    public static String mebibytes(long bytes) {
        return Math.ceilDiv(bytes, MI) + "Mi";
    }

    /**
     * A memory limit raised by half, rounded up to whole mebibytes: what a container that was OOMKilled at
     * {@code limit} gets next. A limit that is not a quantity gives empty.
     */
    public static Optional<String> raisedMemoryLimit(String limit) {
        return bytes(limit).filter(b -> b > 0).map(b -> mebibytes(Math.ceilDiv(b * 3, 2)));
    }
}
