package dev.remedy.risks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lists every single failure event of a model, in a stable order. */
final class EventCatalog {

    private static final int[] NONE = new int[0];
    /** The cluster autoscaler's default utilisation threshold below which a node is unneeded. */
    private static final double SCALE_DOWN_UTILIZATION = 0.5;

    private EventCatalog() {}

    static List<RiskEvent> events(ClusterModel model) {
        List<RiskEvent> events = new ArrayList<>();
        for (int n = 0; n < model.nodes.size(); n++) {
            ModelNode node = model.nodes.get(n);
            events.add(new RiskEvent(
                    EventType.NODE_LOSS.id() + "/" + node.name(),
                    EventType.NODE_LOSS,
                    node.name(),
                    EventType.NODE_LOSS.likelihood(),
                    "node " + node.name() + " is lost",
                    new int[] {n},
                    NONE,
                    NONE,
                    membersOn(model, n)));
        }
        for (Map.Entry<String, int[]> zone : model.nodesByZone.entrySet()) {
            if (model.nodesByZone.size() < 2) {
                break;
            }
            int[] members = membersIn(model, zone.getValue());
            events.add(new RiskEvent(
                    EventType.ZONE_LOSS.id() + "/" + zone.getKey(),
                    EventType.ZONE_LOSS,
                    zone.getKey(),
                    EventType.ZONE_LOSS.likelihood(),
                    "zone " + zone.getKey() + " is lost (" + zone.getValue().length + " nodes)",
                    zone.getValue(),
                    NONE,
                    NONE,
                    members));
        }
        for (int m = 0; m < model.etcdMembers.size(); m++) {
            ModelEtcdMember member = model.etcdMembers.get(m);
            events.add(new RiskEvent(
                    EventType.ETCD_MEMBER_DOWN.id() + "/" + member.name(),
                    EventType.ETCD_MEMBER_DOWN,
                    member.name(),
                    EventType.ETCD_MEMBER_DOWN.likelihood(),
                    "etcd member " + member.name() + " is lost or restarts",
                    NONE,
                    NONE,
                    NONE,
                    new int[] {m}));
        }
        for (int p : model.apiServerPods) {
            ModelPod pod = model.pods.get(p);
            events.add(new RiskEvent(
                    EventType.CONTROL_PLANE_RESTART.id() + "/" + pod.name(),
                    EventType.CONTROL_PLANE_RESTART,
                    pod.name(),
                    EventType.CONTROL_PLANE_RESTART.likelihood(),
                    pod.component() + " on " + pod.node() + " restarts",
                    NONE,
                    NONE,
                    new int[] {p},
                    NONE));
        }
        for (ModelProbe probe : model.probes) {
            if (!probe.killsHealthyComponent()) {
                continue;
            }
            int pod = podIndex(model, probe.namespace(), probe.pod());
            int[] members = "etcd".equals(probe.component()) ? membersOn(model, model.node(probe.node())) : NONE;
            events.add(new RiskEvent(
                    EventType.PROBE_KILL.id() + "/" + probe.pod(),
                    EventType.PROBE_KILL,
                    probe.pod(),
                    EventType.PROBE_KILL.likelihood(),
                    "the liveness probe of " + probe.pod() + " kills it: a check takes " + probe.measuredLatencyMs()
                            + " ms, the probe waits " + probe.effectiveTimeoutSeconds() + " s (kill window "
                            + probe.killWindowSeconds() + " s)",
                    NONE,
                    NONE,
                    pod < 0 ? NONE : new int[] {pod},
                    members));
        }
        int[] unneeded = unneededNodes(model);
        if (unneeded.length > 0) {
            events.add(new RiskEvent(
                    EventType.AUTOSCALER_SCALE_DOWN.id(),
                    EventType.AUTOSCALER_SCALE_DOWN,
                    "cluster-autoscaler",
                    model.autoscalerSeen ? EventType.AUTOSCALER_SCALE_DOWN.likelihood() : Likelihood.LOW,
                    "a cluster autoscaler removes the " + unneeded.length + " nodes it considers unneeded"
                            + (model.autoscalerSeen ? "" : " (no autoscaler was seen: if one is enabled)"),
                    NONE,
                    unneeded,
                    NONE,
                    NONE));
        }
        for (int n = 0; n < model.nodes.size(); n++) {
            ModelNode node = model.nodes.get(n);
            events.add(new RiskEvent(
                    EventType.NODE_DRAIN.id() + "/" + node.name(),
                    EventType.NODE_DRAIN,
                    node.name(),
                    EventType.NODE_DRAIN.likelihood(),
                    "node " + node.name() + " is drained (as an upgrade does)",
                    NONE,
                    new int[] {n},
                    NONE,
                    NONE));
        }
        return events;
    }

    /**
     * Nodes the cluster autoscaler would remove with its defaults: requests below half of allocatable, not a
     * control-plane node, not annotated scale-down-disabled, every pod movable (replicated, no local storage,
     * not a kube-system pod without a PDB), and, as the autoscaler checks, the pods of all removed nodes fit on
     * the nodes that stay. The least used nodes are taken first.
     */
    static int[] unneededNodes(ClusterModel model) {
        List<Integer> result = new ArrayList<>();
        for (int n = 0; n < model.nodes.size(); n++) {
            ModelNode node = model.nodes.get(n);
            if (node.controlPlane() || node.scaleDownDisabled() || node.cpuMillis() == 0 || node.memoryBytes() == 0) {
                continue;
            }
            double cpu = 1.0 - (double) model.freeCpu[n] / node.cpuMillis();
            double memory = 1.0 - (double) model.freeMemory[n] / node.memoryBytes();
            if (Math.max(cpu, memory) >= SCALE_DOWN_UTILIZATION) {
                continue;
            }
            boolean movable = true;
            for (int p : model.podsByNode[n]) {
                ModelPod pod = model.pods.get(p);
                if (pod.daemon()) {
                    continue;
                }
                if (pod.mirror()
                        || !pod.recreated()
                        || pod.localStorage()
                        || (pod.namespace().equals("kube-system") && model.pdbsByPod[p].length == 0)) {
                    movable = false;
                    break;
                }
            }
            if (movable) {
                result.add(n);
            }
        }
        result.sort(java.util.Comparator.comparingLong((Integer n) -> -model.freeCpu[n])
                .thenComparingInt(n -> n));
        // Greedy, least used first: a node is removed when its pods, with those of the nodes removed before it,
        // still fit. Tried a block of candidates at a time and halved where a block does not fit, so that a
        // cluster of mostly idle nodes takes a few simulations, not one per node over an ever larger set. Where
        // removing fewer nodes never leaves more pods pending (as for any packing), this removes exactly the
        // nodes the one-by-one greedy does.
        // A block whose pods surely displaced (replicated, covered by no budget that could keep them) request more
        // than the staying nodes have free cannot fit in any packing: it is split (or, a single node, refused)
        // without a simulation. Both sides of the test are bounds, so it refuses nothing the simulation accepts.
        long[] demand = new long[2];
        long[] free = new long[2];
        for (int n = 0; n < model.nodes.size(); n++) {
            free[0] += Math.max(0, model.freeCpu[n]);
            free[1] += Math.max(0, model.freeMemory[n]);
        }
        Simulator simulator = new Simulator(model);
        List<Integer> removed = new ArrayList<>();
        java.util.Deque<List<Integer>> blocks = new java.util.ArrayDeque<>();
        if (!result.isEmpty()) {
            blocks.add(result);
        }
        while (!blocks.isEmpty()) {
            List<Integer> block = blocks.pollFirst();
            long[] blockDemand = new long[2];
            long[] blockFree = new long[2];
            for (int n : block) {
                for (int p : model.podsByNode[n]) {
                    ModelPod pod = model.pods.get(p);
                    if (pod.recreated() && !pod.daemon() && !pod.mirror() && model.pdbsByPod[p].length == 0) {
                        blockDemand[0] += pod.cpuMillis();
                        blockDemand[1] += pod.memoryBytes();
                    }
                }
                blockFree[0] += Math.max(0, model.freeCpu[n]);
                blockFree[1] += Math.max(0, model.freeMemory[n]);
            }
            boolean bounded = demand[0] + blockDemand[0] <= free[0] - blockFree[0]
                    && demand[1] + blockDemand[1] <= free[1] - blockFree[1];
            if (bounded && fit(simulator, removed, block)) {
                removed.addAll(block);
                for (int i = 0; i < 2; i++) {
                    demand[i] += blockDemand[i];
                    free[i] -= blockFree[i];
                }
            } else if (block.size() > 1) {
                int half = block.size() / 2;
                blocks.addFirst(block.subList(half, block.size()));
                blocks.addFirst(block.subList(0, half));
            }
        }
        removed.sort(Integer::compare);
        return removed.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether the pods of the removed nodes and the block's, all removed at once, fit on the nodes that stay. */
    private static boolean fit(Simulator simulator, List<Integer> removed, List<Integer> block) {
        List<Integer> nodes = new ArrayList<>(removed);
        nodes.addAll(block);
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

    private static int[] membersOn(ClusterModel model, int node) {
        return membersIn(model, new int[] {node});
    }

    private static int[] membersIn(ClusterModel model, int[] nodes) {
        List<Integer> members = new ArrayList<>();
        for (int m = 0; m < model.etcdMembers.size(); m++) {
            int at = model.etcdMembers.get(m).node() == null
                    ? -1
                    : model.node(model.etcdMembers.get(m).node());
            for (int n : nodes) {
                if (n == at) {
                    members.add(m);
                }
            }
        }
        return members.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int podIndex(ClusterModel model, String namespace, String name) {
        for (int p = 0; p < model.pods.size(); p++) {
            if (model.pods.get(p).name().equals(name)
                    && model.pods.get(p).namespace().equals(namespace)) {
                return p;
            }
        }
        return -1;
    }
}
