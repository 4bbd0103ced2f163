package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * Binds strings as Jackson does, but hands out one copy of each short value within a read that asks for it (an
 * attribute of the reader, {@link #newPool()}). The objects of a snapshot repeat their namespaces, node names,
 * images, label values and condition types thousands of times; sharing them shrinks what the garbage collector
 * copies while a large snapshot is being read, and the heap it then occupies.
 *
 * <p>The pool is a fixed table of recent values by hash, not a map of every value: the values that repeat (a
 * few hundred distinct ones) stay in it, while the unique ones (names, uids, addresses) only replace each other,
 * costing no entry, no growth and no lookup beyond one slot. A value the parser still holds as characters is
 * compared there and not turned into a string at all when it is found.
 */
final class SharedStrings extends StdScalarDeserializer<String> {

    /** The reader attribute that holds the pool. */
    static final Object POOL = SharedStrings.class;

    // Longer values (certificates, last-applied-configuration) are seldom repeated and costly to hash.
    private static final int MAX_SHARED_LENGTH = 64;
    private static final int SLOTS = 1 << 12;
    // The hash of a slot: the length and the last characters, where names, hashes and versions differ. A
    // collision only costs a miss.
    private static final int HASHED_CHARS = 8;

    SharedStrings() {
        super(String.class);
    }

    static Object newPool() {
        return new String[SLOTS];
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING) || !(context.getAttribute(POOL) instanceof String[] pool)) {
            return StringDeserializer.instance.deserialize(parser, context);
        }
        if (!parser.hasTextCharacters()) {
            String value = parser.getText();
            if (value.length() > MAX_SHARED_LENGTH) {
                return value;
            }
            int hash = value.length();
            for (int i = Math.max(0, value.length() - HASHED_CHARS); i < value.length(); i++) {
                hash = 31 * hash + value.charAt(i);
            }
            int slot = slot(hash);
            String shared = pool[slot];
            if (value.equals(shared)) {
                return shared;
            }
            pool[slot] = value;
            return value;
        }
        int length = parser.getTextLength();
        if (length > MAX_SHARED_LENGTH) {
            return parser.getText();
        }
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int hash = length;
        for (int i = offset + Math.max(0, length - HASHED_CHARS); i < offset + length; i++) {
            hash = 31 * hash + chars[i];
        }
        int slot = slot(hash);
        String shared = pool[slot];
        if (shared != null && equals(shared, chars, offset, length)) {
            return shared;
        }
        String value = new String(chars, offset, length);
        pool[slot] = value;
        return value;
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    private static boolean equals(String value, char[] chars, int offset, int length) {
        if (value.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
