package dev.remedy.facts;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value worked out on first use, once, however many threads ask for it: a thread that asks while another works
 * it out waits for that result instead of working it out again. The snapshot's indexes and the derivation's shared
 * pod lists are each a pass over 150,000 pods at 5,000 nodes, read by collections derived on two threads. After
 * the first use a read is one volatile load.
 */
public final class Lazy<T> implements Supplier<T> {

    private Supplier<? extends T> supplier;
    private volatile T value;

    private Lazy(Supplier<? extends T> supplier) {
        this.supplier = supplier;
    }

    /** The value {@code supplier} returns when first asked for; it must not return null. */
    public static <T> Lazy<T> of(Supplier<? extends T> supplier) {
        return new Lazy<>(Objects.requireNonNull(supplier));
    }

    @Override
    public T get() {
        T result = value;
        if (result != null) {
            return result;
        }
        synchronized (this) {
            result = value;
            if (result == null) {
                result = Objects.requireNonNull(supplier.get(), "A lazy value was null.");
                value = result;
                // What the value was made from may be large; it is not needed again.
                supplier = null;
            }
            return result;
        }
    }
}
