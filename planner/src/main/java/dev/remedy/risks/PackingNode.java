package dev.remedy.risks;

import java.util.Map;

/**
 * A remaining node as the bin-packing solver sees it: the requests still free on it before any displaced pod
 * lands, and its value for each topology key a displaced pod's required anti-affinity names. Equal by index, so
 * the solver's grouping never hashes the maps.
 */
public record PackingNode(
        int index, String name, long freeCpuMillis, long freeMemoryBytes, int freePods, Map<String, String> topology) {

    @Override
    public boolean equals(Object other) {
        return other instanceof PackingNode node && node.index == index;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(index);
    }

    /** Whether both nodes are in the same domain of {@code topologyKey}; a node without the key is in none. */
    boolean sharesDomain(PackingNode other, String topologyKey) {
        String value = topology.get(topologyKey);
        return value != null && value.equals(other.topology.get(topologyKey));
    }
}
