package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Binds strings as Jackson does, but hands out one copy of each short value within a read that asks for it (an
 * attribute of the reader, {@link #newPool()}). The objects of a snapshot repeat their namespaces, node names,
 * images, label values and condition types thousands of times; sharing them shrinks what the garbage collector
 * copies while a large snapshot is being read, and the heap it then occupies.
 */
final class SharedStrings extends StdScalarDeserializer<String> {

    /** The reader attribute that holds the pool. */
    static final Object POOL = SharedStrings.class;

    // Longer values (certificates, last-applied-configuration) are seldom repeated and costly to hash.
    private static final int MAX_SHARED_LENGTH = 64;

    SharedStrings() {
        super(String.class);
    }

    static Map<String, String> newPool() {
        return new HashMap<>();
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String value = StringDeserializer.instance.deserialize(parser, context);
        if (value == null || value.length() > MAX_SHARED_LENGTH) {
            return value;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> pool = (Map<String, String>) context.getAttribute(POOL);
        if (pool == null) {
            return value;
        }
        String shared = pool.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }
}
