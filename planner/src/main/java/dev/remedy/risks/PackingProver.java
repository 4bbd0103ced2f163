package dev.remedy.risks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Decides whether pods that first-fit left pending could be placed by any packing. A local-search solver can
 * find packings but never prove that none exists, so this uses bounds and, on small instances, an exhaustive
 * search: a pending pod no remaining node could hold even alone is proven pending; so are pods whose total
 * requests exceed the free requests of every node that admits them; up to {@value #EXACT_PODS} displaced
 * pods on {@value #EXACT_NODES} nodes are searched exhaustively (capacity, taints, selectors, affinity; pod
 * anti-affinity is not part of the exhaustive search). What neither decides ({@link #HEURISTIC}) goes to the
 * {@link BinPackingSolver}, which may find a packing but, failing that, proves nothing either.
 */
final class PackingProver {

    static final int EXACT_PODS = 12;
    static final int EXACT_NODES = 8;
    /** The answer when neither a bound nor the exhaustive search decides: {@link BinPackingSolver} then tries. */
    static final String HEURISTIC = "first-fit-decreasing (heuristic: a packing may exist)";

    /**
     * The answer when the exhaustive search finds a packing first-fit missed. That search leaves pod
     * anti-affinity out, so {@link BinPackingSolver}, which keeps it, is asked for the placement itself.
     */
    static final String PACKING_EXISTS =
            "first-fit-decreasing left pods pending, but a packing exists (exhaustive search)";

    private final ClusterModel model;

    PackingProver(ClusterModel model) {
        this.model = model;
    }

    /**
     * @param fitsAlone whether some node left in service admits the pod and has room for it alone: the
     *     simulator knows which nodes admit each class of pods
     */
    String explain(List<Integer> displaced, List<Integer> pending, boolean[] out, IntPredicate fitsAlone) {
        for (int p : pending) {
            if (!fitsAlone.test(p)) {
                return "proven: a pending pod fits on no remaining node even alone";
            }
        }
        List<Integer> nodes = new ArrayList<>();
        for (int n = 0; n < out.length; n++) {
            if (!out[n] && !model.nodes.get(n).unschedulable()) {
                nodes.add(n);
            }
        }
        long cpu = 0;
        long memory = 0;
        for (int p : displaced) {
            cpu += model.pods.get(p).cpuMillis();
            memory += model.pods.get(p).memoryBytes();
        }
        long freeCpu = 0;
        long freeMemory = 0;
        for (int n : nodes) {
            freeCpu += Math.max(0, model.freeCpu[n]);
            freeMemory += Math.max(0, model.freeMemory[n]);
        }
        if (cpu > freeCpu || memory > freeMemory) {
            return "proven: the displaced pods request more than the remaining nodes have free";
        }
        if (displaced.size() <= EXACT_PODS && nodes.size() <= EXACT_NODES) {
            return search(displaced, out) ? PACKING_EXISTS : "proven: no packing exists (exhaustive search)";
        }
        return HEURISTIC;
    }

    private List<Integer> eligible(int p, boolean[] out) {
        ModelPod pod = model.pods.get(p);
        List<Integer> result = new ArrayList<>();
        for (int n = 0; n < out.length; n++) {
            if (!out[n]
                    && !model.nodes.get(n).unschedulable()
                    && model.freeCpu[n] >= pod.cpuMillis()
                    && model.freeMemory[n] >= pod.memoryBytes()
                    && model.freePods[n] >= 1
                    && Simulator.admits(model, pod, n)) {
                result.add(n);
            }
        }
        return result;
    }

    private boolean search(List<Integer> displaced, boolean[] out) {
        List<Integer> order = new ArrayList<>(displaced);
        order.sort(Comparator.comparingLong((Integer p) -> -model.pods.get(p).cpuMillis())
                .thenComparingInt(p -> p));
        List<List<Integer>> options = new ArrayList<>();
        for (int p : order) {
            options.add(eligible(p, out));
        }
        long[] cpu = new long[out.length];
        long[] memory = new long[out.length];
        int[] count = new int[out.length];
        return place(order, options, 0, cpu, memory, count);
    }

    private boolean place(
            List<Integer> order, List<List<Integer>> options, int i, long[] cpu, long[] memory, int[] count) {
        if (i == order.size()) {
            return true;
        }
        ModelPod pod = model.pods.get(order.get(i));
        for (int n : options.get(i)) {
            if (model.freeCpu[n] - cpu[n] >= pod.cpuMillis()
                    && model.freeMemory[n] - memory[n] >= pod.memoryBytes()
                    && model.freePods[n] - count[n] >= 1) {
                cpu[n] += pod.cpuMillis();
                memory[n] += pod.memoryBytes();
                count[n]++;
                boolean placed = place(order, options, i + 1, cpu, memory, count);
                cpu[n] -= pod.cpuMillis();
                memory[n] -= pod.memoryBytes();
                count[n]--;
                if (placed) {
                    return true;
                }
            }
        }
        return false;
    }
}
