package dev.remedy.risks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The result of simulating one event set: the outages, how many pods were displaced and how many could not be
 * placed again, and which method concluded about the placement.
 */
@JsonPropertyOrder({"displacedPods", "pendingPods", "pendingCpuMillis", "pendingMemoryBytes", "placement"})
public record Simulation(
        int displacedPods,
        int pendingPods,
        long pendingCpuMillis,
        long pendingMemoryBytes,
        String placement,
        @JsonIgnore List<Outage> outages) {}
