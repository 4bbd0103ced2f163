package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import java.util.Arrays;

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
        return new Pool();
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING) || !(context.getAttribute(POOL) instanceof Pool pool)) {
            return StringDeserializer.instance.deserialize(parser, context);
        }
        return text(parser, pool);
    }

    /** The text of the parser's current string, from {@code pool} (a {@link #newPool()}) when it has it. */
    static String text(JsonParser parser, Object pool) throws IOException {
        if (!(pool instanceof Pool shared)) {
            return parser.getText();
        }
        if (!parser.hasTextCharacters()) {
            return shared.share(parser.getText());
        }
        int length = parser.getTextLength();
        if (length > MAX_SHARED_LENGTH) {
            return parser.getText();
        }
        return shared.share(parser.getTextCharacters(), parser.getTextOffset(), length);
    }

    /**
     * The values by slot, and a copy of the characters of each in one array: a value is compared with its slot
     * there, not in a string somewhere in the heap, whose two reads (the string, its bytes) missed the cache so
     * often that they were a tenth of reading a large snapshot.
     */
    private static final class Pool {
        private final String[] values = new String[SLOTS];
        private final int[] lengths = new int[SLOTS];
        private final char[] chars = new char[SLOTS * MAX_SHARED_LENGTH];

        String share(char[] text, int offset, int length) {
            int hash = length;
            for (int i = offset + Math.max(0, length - HASHED_CHARS); i < offset + length; i++) {
                hash = 31 * hash + text[i];
            }
            int slot = slot(hash);
            int start = slot * MAX_SHARED_LENGTH;
            String shared = values[slot];
            if (shared != null
                    && lengths[slot] == length
                    && Arrays.equals(chars, start, start + length, text, offset, offset + length)) {
                return shared;
            }
            String value = new String(text, offset, length);
            values[slot] = value;
            lengths[slot] = length;
            System.arraycopy(text, offset, chars, start, length);
            return value;
        }

        String share(String value) {
            int length = value.length();
            if (length > MAX_SHARED_LENGTH) {
                return value;
            }
            int hash = length;
            for (int i = Math.max(0, length - HASHED_CHARS); i < length; i++) {
                hash = 31 * hash + value.charAt(i);
            }
            int slot = slot(hash);
            int start = slot * MAX_SHARED_LENGTH;
            String shared = values[slot];
            if (shared != null && lengths[slot] == length && equals(start, value)) {
                return shared;
            }
            values[slot] = value;
            lengths[slot] = length;
            value.getChars(0, length, chars, start);
            return value;
        }

        private boolean equals(int start, String value) {
            for (int i = 0; i < value.length(); i++) {
                if (chars[start + i] != value.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }
}
