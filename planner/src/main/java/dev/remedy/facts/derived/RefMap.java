package dev.remedy.facts.derived;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The {@code ref} of an item ({@link Facts#ref}) as one small object: kind, namespace, name and node, in that order,
 * without the namespace or node when they are null. Every one of 150,000 pods has a ref, kept until matching ends; as
 * a {@link FactMap} each was two objects and 72 bytes, as this one object and 32. Unmodifiable.
 */
final class RefMap extends AbstractMap<String, Object> {

    private static final String[] KEYS = {"kind", "namespace", "name", "node"};

    private final String kind;
    private final String namespace;
    private final String name;
    private final String node;

    RefMap(String kind, String namespace, String name, String node) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.node = node;
    }

    @Override
    public int size() {
        return 2 + (namespace == null ? 0 : 1) + (node == null ? 0 : 1);
    }

    @Override
    public boolean containsKey(Object key) {
        return slot(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int slot = slot(key);
        return slot < 0 ? null : value(slot);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int slot = 0; slot < KEYS.length; slot++) {
            if (present(slot)) {
                action.accept(KEYS[slot], value(slot));
            }
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return RefMap.this.size();
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    @Override
                    public boolean hasNext() {
                        return next < KEYS.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> entry = new SimpleImmutableEntry<>(KEYS[next], value(next));
                        next = advance(next + 1);
                        return entry;
                    }
                };
            }
        };
    }

    /** The first slot from {@code slot} on that the map holds, or the number of keys. */
    private int advance(int slot) {
        while (slot < KEYS.length && !present(slot)) {
            slot++;
        }
        return slot;
    }

    /** The slot of {@code key} when the map holds it, else -1. */
    private int slot(Object key) {
        if (!(key instanceof String text)) {
            return -1;
        }
        int slot =
                switch (text) {
                    case "kind" -> 0;
                    case "namespace" -> 1;
                    case "name" -> 2;
                    case "node" -> 3;
                    default -> -1;
                };
        return slot >= 0 && present(slot) ? slot : -1;
    }

    /** Kind and name are always held, even when null, as {@link Facts#ref} put them. */
    private boolean present(int slot) {
        return switch (slot) {
            case 1 -> namespace != null;
            case 3 -> node != null;
            default -> true;
        };
    }

    private Object value(int slot) {
        return switch (slot) {
            case 0 -> kind;
            case 1 -> namespace;
            case 2 -> name;
            default -> node;
        };
    }
}
