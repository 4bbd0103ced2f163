package dev.remedy.risks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places new replicas of one workload as the scheduler's default spreading would: each on an admitting node
 * with room, in the topology domain (zone or node) holding the fewest of them, then on the node holding the
 * fewest, then the most free CPU. Placements accumulate across calls, so several workloads share the room.
 */
final class SpreadPlacement {

    private final ClusterModel model;
    private final long[] usedCpu;
    private final long[] usedMemory;
    private final int[] usedPods;

    SpreadPlacement(ClusterModel model) {
        this.model = model;
        usedCpu = new long[model.nodes.size()];
        usedMemory = new long[model.nodes.size()];
        usedPods = new int[model.nodes.size()];
    }

    /** The node of each of {@code count} replicas of {@code template}; null where none has room. */
    List<String> place(ModelPod template, int count, String topologyKey) {
        String key = topologyKey == null ? Prevention.HOSTNAME : topologyKey;
        // Which nodes admit the template and in which domain each lies do not change between replicas: computed
        // once, so that each replica costs a pass over arrays, not a map lookup per node.
        Map<String, Integer> domainIds = new HashMap<>();
        List<Integer> eligible = new ArrayList<>();
        int[] domainOf = new int[model.nodes.size()];
        for (int n = 0; n < model.nodes.size(); n++) {
            if (model.nodes.get(n).unschedulable() || !Simulator.admits(model, template, n)) {
                continue;
            }
            eligible.add(n);
            domainOf[n] = domainIds.computeIfAbsent(String.valueOf(model.topologyValue(n, key)), d -> domainIds.size());
        }
        int[] perDomain = new int[domainIds.size()];
        int[] perNode = new int[model.nodes.size()];
        List<String> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int best = -1;
            int bestDomain = Integer.MAX_VALUE;
            for (int n : eligible) {
                if (model.freeCpu[n] - usedCpu[n] < template.cpuMillis()
                        || model.freeMemory[n] - usedMemory[n] < template.memoryBytes()
                        || model.freePods[n] - usedPods[n] < 1) {
                    continue;
                }
                int inDomain = perDomain[domainOf[n]];
                if (best < 0
                        || inDomain < bestDomain
                        || (inDomain == bestDomain
                                && (perNode[n] < perNode[best]
                                        || (perNode[n] == perNode[best]
                                                && model.freeCpu[n] - usedCpu[n]
                                                        > model.freeCpu[best] - usedCpu[best])))) {
                    best = n;
                    bestDomain = inDomain;
                }
            }
            if (best < 0) {
                result.add(null);
                continue;
            }
            perDomain[domainOf[best]]++;
            perNode[best]++;
            usedCpu[best] += template.cpuMillis();
            usedMemory[best] += template.memoryBytes();
            usedPods[best]++;
            result.add(model.nodes.get(best).name());
        }
        return result;
    }
}
