package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * compared there and not turned into a string at all when it is found; one that {@link
 * UniqueKeysJsonFactory}'s parser has not yet read is compared in its bytes in the input, and Jackson neither decodes
 * it into characters nor (if it is found) makes a string of them.
 */
final class SharedStrings extends StdScalarDeserializer<String> {

    /** The reader attribute that holds the pool. */
    static final Object POOL = SharedStrings.class;

    // Longer values (certificates, last-applied-configuration) are seldom repeated and costly to hash.
    private static final int MAX_SHARED_LENGTH = 64;
    private static final int SLOTS = 1 << 12;
    // The hash of a slot: the length and the last characters, where names, hashes and versions differ, taken
    // as one long from the bytes of the input. A collision only costs a miss.
    private static final int HASHED_BYTES = Long.BYTES;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        if (parser instanceof UniqueKeysJsonFactory.Parser utf8) {
            int end = utf8.plainStringEnd(MAX_SHARED_LENGTH);
            if (end >= 0) {
                int start = utf8.valueStart();
                return shared.share(utf8.input(), start, end - start);
            }
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
     * The values by slot, and a copy of each in one array, a byte a character (a value with a character beyond
     * Latin-1 is not kept): a value is compared with its slot there, not in a string somewhere in the heap, whose
     * two reads (the string, its bytes) missed the cache so often that they were a tenth of reading a large
     * snapshot. Bytes, not characters, so that a value still in the input compares as it is, and the table is
     * half the size in the cache.
     */
    private static final class Pool {
        private final String[] values = new String[SLOTS];
        private final int[] lengths = new int[SLOTS];
        private final byte[] bytes = new byte[SLOTS * MAX_SHARED_LENGTH];

        /**
         * The last eight bytes of a value (all of a shorter one), the first of them lowest: one read where the
         * value is not at the start of the input, and the same long that the characters of an equal value make.
         */
        private static long tail(byte[] text, int offset, int length) {
            int end = offset + length;
            if (length >= HASHED_BYTES) {
                return (long) LONGS.get(text, end - HASHED_BYTES);
            }
            if (length > 0 && end >= HASHED_BYTES) {
                return (long) LONGS.get(text, end - HASHED_BYTES) >>> (Byte.SIZE * (HASHED_BYTES - length));
            }
            long tail = 0;
            for (int i = offset; i < end; i++) {
                tail |= (long) (text[i] & 0xFF) << (Byte.SIZE * (i - offset));
            }
            return tail;
        }

        /**
         * The slot of a value by its tail and length: the top bits of their product with the golden ratio, which
         * all bits of the tail reach. The sum of 31 times each character before, a chain of eight multiplications
         * per value, was a fifth of the pool's time in a profile of a large snapshot.
         */
        private static int slot(long tail, int length) {
            return (int) (((tail + length) * 0x9E3779B97F4A7C15L) >>> 40) & (SLOTS - 1);
        }

        /** {@code text}: ASCII characters, one a byte. */
        String share(byte[] text, int offset, int length) {
            int slot = slot(tail(text, offset, length), length);
            int start = slot * MAX_SHARED_LENGTH;
            String shared = values[slot];
            if (shared != null
                    && lengths[slot] == length
                    && Arrays.equals(bytes, start, start + length, text, offset, offset + length)) {
                return shared;
            }
            String value = new String(text, offset, length, StandardCharsets.ISO_8859_1);
            values[slot] = value;
            lengths[slot] = length;
            System.arraycopy(text, offset, bytes, start, length);
            return value;
        }

        String share(char[] text, int offset, int length) {
            long tail = 0;
            int from = Math.max(0, length - HASHED_BYTES);
            for (int i = from; i < length; i++) {
                tail |= (long) (text[offset + i] & 0xFF) << (Byte.SIZE * (i - from));
            }
            int slot = slot(tail, length);
            int start = slot * MAX_SHARED_LENGTH;
            String shared = values[slot];
            if (shared != null && lengths[slot] == length && equals(start, text, offset, length)) {
                return shared;
            }
            return keep(slot, new String(text, offset, length));
        }

        String share(String value) {
            int length = value.length();
            if (length > MAX_SHARED_LENGTH) {
                return value;
            }
            long tail = 0;
            int from = Math.max(0, length - HASHED_BYTES);
            for (int i = from; i < length; i++) {
                tail |= (long) (value.charAt(i) & 0xFF) << (Byte.SIZE * (i - from));
            }
            int slot = slot(tail, length);
            int start = slot * MAX_SHARED_LENGTH;
            String shared = values[slot];
            if (shared != null && lengths[slot] == length && equals(start, value)) {
                return shared;
            }
            return keep(slot, value);
        }

        /** Keeps {@code value} in {@code slot}, a byte a character, unless a character is beyond Latin-1. */
        private String keep(int slot, String value) {
            int start = slot * MAX_SHARED_LENGTH;
            values[slot] = null;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c > 0xFF) {
                    return value;
                }
                bytes[start + i] = (byte) c;
            }
            values[slot] = value;
            lengths[slot] = value.length();
            return value;
        }

        private boolean equals(int start, char[] text, int offset, int length) {
            for (int i = 0; i < length; i++) {
                if ((bytes[start + i] & 0xFF) != text[offset + i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean equals(int start, String value) {
            for (int i = 0; i < value.length(); i++) {
                if ((bytes[start + i] & 0xFF) != value.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
