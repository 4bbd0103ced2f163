package dev.remedy.facts;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Hands out one copy of each small map of short strings within a read that asks for it (an attribute of the
 * reader, {@link #newPool()}): the pods of one workload repeat the same labels and selectors. At 5,000 nodes the
 * pods' labels were an eighth of the heap after the read (150,000 maps of about 170 bytes, for 6,000 distinct
 * ones), all copied by every collection during a run.
 *
 * <p>A map shared by many objects must not change under one of them, so every map this pool hands out, shared or
 * not, cannot be modified: code that would change one fails instead of changing other objects too (the model's
 * builders copy maps, and the planner only reads them). Two maps are the same when they hold equal keys and values
 * in the same order, as the order is written out. Maps of quantities (requests, capacities) are left alone: a
 * quantity can be changed, and each stays its own object. Like {@link SharedStrings}, the pool is a fixed table of
 * recent maps by hash.
 */
final class SharedMaps {

    /** The reader attribute that holds the pool. */
    static final Object POOL = SharedMaps.class;

    private static final int SLOTS = 1 << 10;
    // Larger maps (annotations) seldom repeat; longer values (last-applied-configuration) are costly to hash.
    private static final int MAX_ENTRIES = 8;
    private static final int MAX_VALUE_LENGTH = 64;

    private SharedMaps() {}

    static Object newPool() {
        return new Pool();
    }

    /**
     * The entries of the map in each slot, as key, value, key, value, and the unmodifiable view handed out. A map
     * read is taken in with {@code forEach}, not through its entry set, which a LinkedHashMap would keep (24 bytes
     * more per map).
     */
    private static final class Pool implements BiConsumer<Object, Object> {
        private final Object[][] entries = new Object[SLOTS][];
        private final Map<?, ?>[] views = new Map<?, ?>[SLOTS];
        // The map being taken in: its entries, their hash, and whether all are short strings.
        private final Object[] taken = new Object[2 * MAX_ENTRIES];
        private int count;
        private int hash;
        private boolean strings;

        Object share(Map<?, ?> map) {
            count = 0;
            hash = map.size();
            strings = true;
            map.forEach(this);
            if (!strings) {
                return map;
            }
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            Object[] shared = entries[slot];
            if (shared != null && Arrays.equals(shared, 0, shared.length, taken, 0, count)) {
                return views[slot];
            }
            entries[slot] = Arrays.copyOf(taken, count);
            views[slot] = Collections.unmodifiableMap(map);
            return views[slot];
        }

        @Override
        public void accept(Object key, Object value) {
            if (strings
                    && key instanceof String name
                    && name.length() <= MAX_VALUE_LENGTH
                    && value instanceof String text
                    && text.length() <= MAX_VALUE_LENGTH) {
                taken[count++] = name;
                taken[count++] = text;
                hash = 31 * (31 * hash + name.hashCode()) + text.hashCode();
            } else {
                strings = false;
            }
        }
    }

    /**
     * The map a read made, or an equal one the pool handed out before; unmodifiable either way, if it is a small
     * map of short strings. Any other map is returned as it is.
     */
    static Object share(Object value, Object pool) {
        if (!(pool instanceof Pool shared)
                || value == null
                || value.getClass() != LinkedHashMap.class
                || ((Map<?, ?>) value).size() > MAX_ENTRIES) {
            return value;
        }
        return shared.share((Map<?, ?>) value);
    }
}
