package dev.remedy.facts.derived;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The facts of one item in insertion order, held as keys and values side by side in one array. There are 150,000
 * pods at 5,000 nodes, each with a map of a dozen facts, a map per container and a ref, all kept until matching
 * ends: a LinkedHashMap spends a 40-byte entry and a table slot on every fact, this map 8 bytes, and it is built
 * without hashing. Lookups scan the keys, which for a few dozen of them costs no more than hashing; a one-word
 * Bloom filter of the keys spares the scan when a key is not there, as on every put of a new fact and on the
 * matcher's test of every pod for the rare fact a scenario requires. Keys are never null. A value may be
 * {@link Deferred}: the map hands out the value it makes, anew on each read.
 */
final class FactMap extends AbstractMap<String, Object> {

    /**
     * A fact made from the other facts of its item when it is read: for a fact that every item has, that costs more
     * to hold than to make, and that is seldom read. Each of 150,000 pods has a {@code ref} made of its namespace,
     * name and node, and a description of its owner chain, read only when a finding about the pod is written; one
     * shared object stands for either in every pod's facts.
     */
    interface Deferred {
        /** The value, from {@code facts}, the map that holds this. */
        Object value(Map<String, Object> facts);
    }

    /** Key, value, key, value, ... */
    private Object[] slots;

    private int size;

    /** Two bits per key, chosen by its hash ({@link #bits}): a key with either bit clear is not in the map. */
    private long keyBits;

    FactMap(int expectedSize) {
        slots = new Object[2 * Math.max(expectedSize, 1)];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : value(index);
    }

    @Override
    public Object put(String key, Object value) {
        Objects.requireNonNull(key, "key");
        int index = indexOf(key);
        if (index >= 0) {
            Object previous = value(index);
            slots[index + 1] = value;
            return previous;
        }
        if (2 * size == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        slots[2 * size] = key;
        slots[2 * size + 1] = value;
        size++;
        keyBits |= bits(key);
        return null;
    }

    @Override
    public Object remove(Object key) {
        int index = indexOf(key);
        if (index < 0) {
            return null;
        }
        Object previous = value(index);
        removeAt(index);
        return previous;
    }

    @Override
    public void clear() {
        Arrays.fill(slots, 0, 2 * size, null);
        size = 0;
        keyBits = 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        int expected = size;
        for (int i = 0; i < 2 * expected; i += 2) {
            action.accept((String) slots[i], value(i));
        }
        if (size != expected) {
            throw new ConcurrentModificationException();
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Entries();
            }
        };
    }

    private int indexOf(Object key) {
        if (key == null) {
            return -1;
        }
        long bits = bits(key);
        if ((keyBits & bits) != bits) {
            return -1;
        }
        for (int i = 0; i < 2 * size; i += 2) {
            Object candidate = slots[i];
            if (candidate == key || candidate.equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of the key at {@code index}, a {@link Deferred} one made. */
    private Object value(int index) {
        Object value = slots[index + 1];
        return value instanceof Deferred deferred ? deferred.value(this) : value;
    }

    /**
     * The key's two bits among 64, from two 6-bit fields of its hash spread by a multiplicative (Fibonacci) hash.
     * A pod has 15 to 17 facts: with one bit per key, a key it lacks found its bit set about one time in five, and
     * {@code missingReferences}, which the matcher asks every pod for, shared its bit with {@code phase}; with two
     * bits, about one time in seven, and it no longer does.
     */
    private static long bits(Object key) {
        int spread = key.hashCode() * 0x9E3779B9;
        return 1L << (spread >>> 26) | 1L << ((spread >>> 20) & 63);
    }

    private void removeAt(int index) {
        System.arraycopy(slots, index + 2, slots, index, 2 * size - index - 2);
        size--;
        slots[2 * size] = null;
        slots[2 * size + 1] = null;
        keyBits = 0;
        for (int i = 0; i < 2 * size; i += 2) {
            keyBits |= bits(slots[i]);
        }
    }

    /** The entries in order; {@code setValue} and {@code remove} write through. */
    private final class Entries implements Iterator<Entry<String, Object>> {

        private int next;
        private int last = -1;

        @Override
        public boolean hasNext() {
            return next < 2 * size;
        }

        @Override
        public Entry<String, Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            last = next;
            next += 2;
            int index = last;
            return new SimpleEntry<>((String) slots[index], value(index)) {
                @Override
                public Object setValue(Object value) {
                    slots[index + 1] = value;
                    return super.setValue(value);
                }
            };
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            removeAt(last);
            next = last;
            last = -1;
        }
    }
}
