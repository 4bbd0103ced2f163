package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Collections;

/**
 * Binds quantities as fabric8's {@link Quantity.Deserializer} does, but splits each text into amount and format
 * once within a read that asks for it (an attribute of the reader, {@link #newPool()}): fabric8 reads every
 * quantity as a tree and parses it into a second quantity, and a snapshot repeats the same few requests, limits
 * and capacities on every pod and node. Each quantity bound is still a new object; only its strings are shared.
 *
 * <p>A quantity is made without its constructor, which gives each an empty {@code HashMap} of additional
 * properties (48 bytes, a sixth of the heap a large snapshot's quantities held); it gets the shared empty map, as
 * the model objects do ({@link EmptyCollections}). A text can bring no additional property.
 */
final class SharedQuantities extends JsonDeserializer<Quantity> {

    /** The reader attribute that holds the pool. */
    static final Object POOL = SharedQuantities.class;

    private static final int SLOTS = 1 << 10;
    private static final Quantity.Deserializer FABRIC8 = new Quantity.Deserializer();
    private static final Constructor<?> ALLOCATOR = EmptyCollections.allocatorFor(Quantity.class);

    /** Put on {@link Quantity} as a mix-in: its own annotation names fabric8's deserializer. */
    @JsonDeserialize(using = SharedQuantities.class)
    abstract static class MixIn {}

    /** A text and what fabric8 parsed it into. */
    private record Parsed(String text, String amount, String format) {}

    static Object newPool() {
        return new Parsed[SLOTS];
    }

    @Override
    public Quantity deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING) || !(context.getAttribute(POOL) instanceof Parsed[] pool)) {
            return FABRIC8.deserialize(parser, context);
        }
        // From the pool of strings, so that a quantity found makes no string either.
        String text = SharedStrings.text(parser, context.getAttribute(SharedStrings.POOL));
        int hash = text.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        Parsed parsed = pool[slot];
        if (parsed == null || !parsed.text().equals(text)) {
            // What fabric8 makes of a string, failures included.
            Quantity quantity = new Quantity(text);
            parsed = new Parsed(text, quantity.getAmount(), quantity.getFormat());
            pool[slot] = parsed;
        }
        return quantity(parsed.amount(), parsed.format());
    }

    private static Quantity quantity(String amount, String format) {
        Quantity quantity;
        try {
            quantity = ALLOCATOR == null ? new Quantity() : (Quantity) ALLOCATOR.newInstance();
        } catch (ReflectiveOperationException e) {
            quantity = new Quantity();
        }
        quantity.setAmount(amount);
        quantity.setFormat(format);
        quantity.setAdditionalProperties(Collections.emptyMap());
        return quantity;
    }
}
