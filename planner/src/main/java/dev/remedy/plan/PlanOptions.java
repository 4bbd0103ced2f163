package dev.remedy.plan;

import java.time.Instant;
import java.util.Optional;

/**
 * How to plan: the moment to plan at (else the snapshot's collection time, else now) and the blast radius.
 * An empty {@code maxUnavailableNodes} means the default: 1 on clusters up to 10 nodes, else 10% of nodes.
 */
public record PlanOptions(Optional<Instant> now, Optional<String> maxUnavailableNodes) {

    public static PlanOptions defaults() {
        return new PlanOptions(Optional.empty(), Optional.empty());
    }

    /** The number of nodes that may be disrupted at once in a cluster of {@code nodeCount} nodes. */
    public int maxUnavailableNodes(int nodeCount) {
        if (maxUnavailableNodes.isEmpty()) {
            return nodeCount <= 10 ? 1 : Math.max(1, nodeCount / 10);
        }
        String value = maxUnavailableNodes.get().strip();
        try {
            if (value.endsWith("%")) {
                int percent = Integer.parseInt(value.substring(0, value.length() - 1));
                if (percent < 1 || percent > 100) {
                    throw new NumberFormatException();
                }
                return Math.max(1, nodeCount * percent / 100);
            }
            int count = Integer.parseInt(value);
            if (count < 1) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new PlanException("The --max-unavailable-nodes value (" + value
                    + ") is neither a count of at least 1 nor a percentage from 1% to 100%. Maybe 1 or 10%.");
        }
    }
}
