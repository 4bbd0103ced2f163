package dev.remedy.risks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes a cluster autoscaler with its default settings would remove, found the way it finds them: one
 * candidate at a time, least used first, each removed only if its pods fit on the nodes that stay, given where
 * the pods of the nodes removed before it went. The packing is kept from one candidate to the next, so a
 * candidate costs the placement of its own pods, not a new simulation of every removal so far. A node that
 * received moved pods is judged with them: its utilisation rises, and if it is removed later they move again.
 *
 * <p>The event is then simulated as one drain of all the nodes found, with first-fit-decreasing over all their
 * pods at once. Where that leaves pods pending although the incremental placement found room, the removals are
 * cut back to the longest prefix (in the order they were found) that the simulation places, so that the event
 * never reports an outage only because one placement heuristic differs from the other.
 */
final class AutoscalerScaleDown {

    /** The cluster autoscaler's default {@code --scale-down-utilization-threshold}. */
    static final double UTILIZATION_THRESHOLD = 0.5;

    private static final int[] NONE = new int[0];

    private final ClusterModel model;
    private final long[] addedCpu;
    private final long[] addedMemory;
    private final int[] addedPods;
    private final boolean[] removed;
    /** Where each pod is now: its node, or where the search moved it; -1 for a pending pod. */
    private final int[] at;

    /** The pods the search moved onto each node, by node: they move again if that node is removed too. */
    private final Map<Integer, List<Integer>> movedOnto = new HashMap<>();
    /**
     * The schedulable nodes not removed, most free first, as first-fit tries them. Rebuilt after each removal:
     * the least used nodes go first and are also the roomiest, so every later pod would walk past them.
     */
    private int[] staying;

    private final AntiAffinity antiAffinity;
    /** Free CPU and memory summed over the staying nodes: a candidate whose pods need more cannot go. */
    private long roomCpu;

    private long roomMemory;

    private AutoscalerScaleDown(ClusterModel model) {
        this.model = model;
        int nodes = model.nodes.size();
        addedCpu = new long[nodes];
        addedMemory = new long[nodes];
        addedPods = new int[nodes];
        removed = new boolean[nodes];
        at = model.podNode.clone();
        antiAffinity = new AntiAffinity(model);
        staying = Arrays.stream(model.nodesByFreeCpu)
                .filter(n -> !model.nodes.get(n).unschedulable())
                .toArray();
        for (int n = 0; n < nodes; n++) {
            roomCpu += room(model.freeCpu[n], 0);
            roomMemory += room(model.freeMemory[n], 0);
        }
    }

    private static long room(long free, long added) {
        return Math.max(0, free - added);
    }

    /** The positions of the nodes the autoscaler would remove, ascending; empty if none. */
    static int[] unneededNodes(ClusterModel model) {
        List<Integer> found = new AutoscalerScaleDown(model).search();
        if (found.isEmpty()) {
            return NONE;
        }
        return placedPrefix(model, found);
    }

    private List<Integer> search() {
        List<Integer> found = new ArrayList<>();
        for (int candidate : candidates(model)) {
            if (utilization(candidate) < UTILIZATION_THRESHOLD && remove(candidate)) {
                found.add(candidate);
            }
        }
        return found;
    }

    /**
     * Nodes the autoscaler may consider: not a control-plane node, not annotated scale-down-disabled, requests
     * below the threshold, every pod movable (replicated, no local storage, not a kube-system pod without a
     * PDB, and every budget covering it allows an eviction: the autoscaler leaves a node whose drain a budget
     * would refuse). Least used first.
     */
    static List<Integer> candidates(ClusterModel model) {
        List<Integer> result = new ArrayList<>();
        for (int n = 0; n < model.nodes.size(); n++) {
            ModelNode node = model.nodes.get(n);
            if (node.controlPlane() || node.scaleDownDisabled() || node.cpuMillis() == 0 || node.memoryBytes() == 0) {
                continue;
            }
            double cpu = 1.0 - (double) model.freeCpu[n] / node.cpuMillis();
            double memory = 1.0 - (double) model.freeMemory[n] / node.memoryBytes();
            if (Math.max(cpu, memory) < UTILIZATION_THRESHOLD && allMovable(model, n)) {
                result.add(n);
            }
        }
        result.sort(Comparator.comparingLong((Integer n) -> -model.freeCpu[n]).thenComparingInt(n -> n));
        return result;
    }

    private static boolean allMovable(ClusterModel model, int n) {
        for (int p : model.podsByNode[n]) {
            ModelPod pod = model.pods.get(p);
            if (pod.daemon()) {
                continue;
            }
            if (pod.mirror()
                    || !pod.recreated()
                    || pod.localStorage()
                    || (pod.namespace().equals("kube-system") && model.pdbsByPod[p].length == 0)) {
                return false;
            }
            for (int d : model.pdbsByPod[p]) {
                if (pod.ready()
                        && model.readyByPdb[d] - 1 < model.pdbs.get(d).desiredHealthy(model.podsByPdb[d].length)) {
                    return false;
                }
            }
        }
        return true;
    }

    private double utilization(int n) {
        ModelNode node = model.nodes.get(n);
        double cpu = 1.0 - (double) (model.freeCpu[n] - addedCpu[n]) / node.cpuMillis();
        double memory = 1.0 - (double) (model.freeMemory[n] - addedMemory[n]) / node.memoryBytes();
        return Math.max(cpu, memory);
    }

    /** Moves the candidate's pods (its own and those moved onto it) to the staying nodes, or changes nothing. */
    private boolean remove(int candidate) {
        List<Integer> pods = new ArrayList<>();
        for (int p : model.podsByNode[candidate]) {
            if (!model.pods.get(p).daemon()) {
                pods.add(p);
            }
        }
        pods.addAll(movedOnto.getOrDefault(candidate, List.of()));
        long cpu = 0;
        long memory = 0;
        for (int p : pods) {
            cpu += model.pods.get(p).cpuMillis();
            memory += model.pods.get(p).memoryBytes();
        }
        long candidateCpu = room(model.freeCpu[candidate], addedCpu[candidate]);
        long candidateMemory = room(model.freeMemory[candidate], addedMemory[candidate]);
        if (cpu > roomCpu - candidateCpu || memory > roomMemory - candidateMemory) {
            return false;
        }
        pods.sort(Comparator.comparingLong((Integer p) -> -model.pods.get(p).cpuMillis())
                .thenComparingLong(p -> -model.pods.get(p).memoryBytes())
                .thenComparingInt(p -> p));
        removed[candidate] = true;
        int[] destinations = new int[pods.size()];
        for (int i = 0; i < pods.size(); i++) {
            int p = pods.get(i);
            int node = firstFit(p);
            if (node < 0) {
                for (int j = i - 1; j >= 0; j--) {
                    unplace(pods.get(j), destinations[j], candidate);
                }
                removed[candidate] = false;
                return false;
            }
            destinations[i] = node;
            place(p, node);
        }
        for (int i = 0; i < pods.size(); i++) {
            movedOnto.computeIfAbsent(destinations[i], n -> new ArrayList<>()).add(pods.get(i));
        }
        movedOnto.remove(candidate);
        staying = Arrays.stream(staying).filter(n -> n != candidate).toArray();
        roomCpu -= candidateCpu + cpu;
        roomMemory -= candidateMemory + memory;
        return true;
    }

    private void place(int p, int node) {
        ModelPod pod = model.pods.get(p);
        addedCpu[node] += pod.cpuMillis();
        addedMemory[node] += pod.memoryBytes();
        addedPods[node]++;
        at[p] = node;
    }

    private void unplace(int p, int node, int from) {
        ModelPod pod = model.pods.get(p);
        addedCpu[node] -= pod.cpuMillis();
        addedMemory[node] -= pod.memoryBytes();
        addedPods[node]--;
        at[p] = from;
    }

    private int firstFit(int p) {
        ModelPod pod = model.pods.get(p);
        for (int n : staying) {
            if (model.freeCpu[n] < pod.cpuMillis()) {
                break;
            }
            if (removed[n]) {
                continue;
            }
            if (model.freeCpu[n] - addedCpu[n] >= pod.cpuMillis()
                    && model.freeMemory[n] - addedMemory[n] >= pod.memoryBytes()
                    && model.freePods[n] - addedPods[n] >= 1
                    && Simulator.admits(model, pod, n)
                    && !antiAffinity.violated(p, pod, n, m -> at[m] >= 0 && !removed[at[m]] ? at[m] : -1)) {
                return n;
            }
        }
        return -1;
    }

    /**
     * The found nodes, or the longest prefix of them whose drain all at once the simulator places without
     * pending pods (found by bisection: a shorter prefix displaces a subset of the pods).
     */
    private static int[] placedPrefix(ClusterModel model, List<Integer> found) {
        Simulator simulator = new Simulator(model);
        if (placesAll(simulator, found)) {
            return sorted(found);
        }
        int fits = 0;
        int fails = found.size();
        while (fails - fits > 1) {
            int middle = (fits + fails) >>> 1;
            if (placesAll(simulator, found.subList(0, middle))) {
                fits = middle;
            } else {
                fails = middle;
            }
        }
        return sorted(found.subList(0, fits));
    }

    private static boolean placesAll(Simulator simulator, List<Integer> nodes) {
        RiskEvent trial = new RiskEvent(
                "trial",
                EventType.AUTOSCALER_SCALE_DOWN,
                "trial",
                Likelihood.LOW,
                "",
                NONE,
                nodes.stream().mapToInt(Integer::intValue).toArray(),
                NONE,
                NONE);
        return simulator.simulate(List.of(trial)).pendingPods() == 0;
    }

    private static int[] sorted(List<Integer> nodes) {
        int[] result = nodes.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(result);
        return result;
    }
}
