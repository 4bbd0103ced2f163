package dev.remedy.facts.derived;

import java.util.List;
import java.util.Map;

/**
 * One named collection of derived facts that a scenario's {@code match.each} can iterate. Each item is a map
 * of plain values (strings, numbers, booleans, lists, maps) with a {@code ref} naming its subject
 * ({@code kind}, {@code namespace}, {@code name}, {@code node}). Unknown facts are left out of the map, so
 * that CEL's {@code has(...)} tells known from unknown: a missing fact is never read as a healthy one.
 */
public interface FactCollection {

    /** The name scenarios use in {@code match.each}. */
    String name();

    /** What one item is, for the catalogue. */
    String description();

    /** The items, in a deterministic order. */
    List<Map<String, Object>> derive(FactContext context);
}
