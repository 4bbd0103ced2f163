package dev.remedy.risks;

import ai.timefold.solver.core.api.domain.common.PlanningId;
import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import java.util.List;
import java.util.Set;

/**
 * The planning entity of the bin-packing solver: the remaining node a displaced pod lands on, none meaning
 * pending. Its value range holds only the nodes that admit it (taints, selectors, node affinity, anti-affinity
 * against pods that stay) and have room for it alone.
 */
@PlanningEntity
public class PodPlacement {

    @PlanningId
    private Integer pod;

    private String name;
    private long cpuMillis;
    private long memoryBytes;
    private PackingNode firstFitNode;
    private List<PackingNode> eligibleNodes;
    private Set<Integer> eligibleIndexes;

    @PlanningVariable(valueRangeProviderRefs = "eligibleNodes", allowsUnassigned = true)
    private PackingNode node;

    public PodPlacement() {}

    PodPlacement(
            int pod,
            String name,
            long cpuMillis,
            long memoryBytes,
            List<PackingNode> eligibleNodes,
            PackingNode firstFitNode) {
        this.pod = pod;
        this.name = name;
        this.cpuMillis = cpuMillis;
        this.memoryBytes = memoryBytes;
        this.eligibleNodes = eligibleNodes;
        this.eligibleIndexes =
                Set.copyOf(eligibleNodes.stream().map(PackingNode::index).toList());
        this.firstFitNode = firstFitNode;
        this.node = firstFitNode;
    }

    public Integer getPod() {
        return pod;
    }

    public String getName() {
        return name;
    }

    public long getCpuMillis() {
        return cpuMillis;
    }

    public long getMemoryBytes() {
        return memoryBytes;
    }

    /** Where first-fit-decreasing put the pod, or null when it left the pod pending. */
    public PackingNode getFirstFitNode() {
        return firstFitNode;
    }

    @ValueRangeProvider(id = "eligibleNodes")
    public List<PackingNode> getEligibleNodes() {
        return eligibleNodes;
    }

    public PackingNode getNode() {
        return node;
    }

    public void setNode(PackingNode node) {
        this.node = node;
    }

    boolean admittedBy(PackingNode candidate) {
        return eligibleIndexes.contains(candidate.index());
    }

    @Override
    public String toString() {
        return name + " -> " + (node == null ? "pending" : node.name());
    }
}
