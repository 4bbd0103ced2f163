package dev.remedy.risks;

import dev.remedy.facts.LabelSelectors;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.Severity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Simulates an event set over a {@link ClusterModel} as a delta: marks lost and drained nodes, evicts what
 * the PDBs let a drain evict, reschedules the displaced pods by first-fit decreasing on the remaining nodes'
 * free requests (honouring taints, node selectors, required node affinity and required pod anti-affinity), then
 * checks for outages. When first-fit leaves pods pending and {@link PackingProver} can neither prove nor
 * refute that, a {@link BinPackingSolver} started from first-fit's placement tries to place them all; only
 * if it does are they no longer pending. Scratch arrays are reused across calls: one simulator per thread.
 */
final class Simulator {

    private final ClusterModel model;
    private final PackingProver prover;
    private final BinPackingSolver packer;
    private final int[] nodeMark;
    private final int[] podMark;
    private final int[] movedStamp;
    private final int[] placedStamp;
    private final int[] placedNode;
    private final long[] usedCpu;
    private final long[] usedMemory;
    private final int[] usedPods;
    private final int[] pdbDisrupted;
    private final int[] workloadMark;
    private final int[] downReadyWorkload;
    private final int[] serviceMark;
    private final int[] downReadyService;
    private final List<Integer> touchedWorkloads = new ArrayList<>();
    private final List<Integer> touchedServices = new ArrayList<>();
    /** Each pod's position in first-fit-decreasing order (CPU, then memory, descending), computed once. */
    private final int[] ffdRank;

    private final int[] byFfdRank;
    private final AntiAffinity antiAffinity;
    private int stamp;

    Simulator(ClusterModel model) {
        this.model = model;
        this.prover = new PackingProver(model);
        this.packer = new BinPackingSolver(model);
        this.antiAffinity = new AntiAffinity(model);
        int n = model.nodes.size();
        nodeMark = new int[n];
        podMark = new int[model.pods.size()];
        movedStamp = new int[model.pods.size()];
        placedStamp = new int[model.pods.size()];
        placedNode = new int[model.pods.size()];
        usedCpu = new long[n];
        usedMemory = new long[n];
        usedPods = new int[n];
        pdbDisrupted = new int[model.pdbs.size()];
        workloadMark = new int[model.workloads.size()];
        downReadyWorkload = new int[model.workloads.size()];
        serviceMark = new int[model.services.size()];
        downReadyService = new int[model.services.size()];
        Integer[] order = new Integer[model.pods.size()];
        for (int p = 0; p < order.length; p++) {
            order[p] = p;
        }
        java.util.Arrays.sort(
                order,
                Comparator.comparingLong((Integer p) -> -model.pods.get(p).cpuMillis())
                        .thenComparingLong(p -> -model.pods.get(p).memoryBytes())
                        .thenComparingInt(p -> p));
        ffdRank = new int[order.length];
        byFfdRank = new int[order.length];
        for (int r = 0; r < order.length; r++) {
            ffdRank[order[r]] = r;
            byFfdRank[r] = order[r];
        }
    }

    private static final int LOST = 1;
    private static final int DRAINED = 2;
    /**
     * Removed by the cluster autoscaler: drained one node at a time (its default --max-drain-parallelism is 1),
     * each only when every budget allows its evictions and the replacements of the previous one run. Such a
     * node's pods are displaced but never all down at once, so they count against capacity, not availability:
     * what its drains do to availability one node at a time is what the drain event of each node shows.
     */
    private static final int RETIRED = 3;
    /** Above this many nodes out of service, first-fit walks a list of the staying nodes made for the event set. */
    private static final int COMPACT_ABOVE = 32;

    Simulation simulate(List<RiskEvent> events) {
        return simulate(events, true);
    }

    /**
     * With {@code place} false the displaced pods are not placed again: for event sets examined only for
     * availability (no ready replica, no endpoint, PDB, etcd, API server), whose outages do not depend on where
     * replacements land.
     */
    Simulation simulate(List<RiskEvent> events, boolean place) {
        stamp += 4;
        int lostStamp = stamp + LOST;
        int drainedStamp = stamp + DRAINED;
        int retiredStamp = stamp + RETIRED;
        List<Integer> touchedNodes = new ArrayList<>();
        List<Integer> down = new ArrayList<>();
        List<Integer> displaced = new ArrayList<>();
        List<Integer> gone = new ArrayList<>();
        Map<Integer, Boolean> touchedPdbs = new TreeMap<>();
        touchedWorkloads.clear();
        touchedServices.clear();
        boolean[] memberDown = new boolean[model.etcdMembers.size()];
        for (RiskEvent event : events) {
            for (int n : event.lostNodes()) {
                nodeMark[n] = lostStamp;
            }
            for (int m : event.downMembers()) {
                memberDown[m] = true;
            }
        }
        for (RiskEvent event : events) {
            if (event.type() == EventType.AUTOSCALER_SCALE_DOWN) {
                continue;
            }
            for (int n : event.drainedNodes()) {
                if (nodeMark[n] != lostStamp) {
                    nodeMark[n] = drainedStamp;
                }
            }
        }
        for (RiskEvent event : events) {
            if (event.type() != EventType.AUTOSCALER_SCALE_DOWN) {
                continue;
            }
            for (int n : event.drainedNodes()) {
                if (nodeMark[n] != lostStamp && nodeMark[n] != drainedStamp) {
                    nodeMark[n] = retiredStamp;
                }
            }
        }
        for (RiskEvent event : events) {
            for (int n : event.touchedNodes()) {
                touchedNodes.add(n);
            }
            for (int p : event.downPods()) {
                markDown(p, down, touchedPdbs);
            }
        }
        for (int n : touchedNodes) {
            if (nodeMark[n] != lostStamp) {
                continue;
            }
            for (int p : model.podsByNode[n]) {
                if (podMark[p] != stamp) {
                    markDown(p, down, touchedPdbs);
                    ModelPod pod = model.pods.get(p);
                    (pod.recreated() && !pod.daemon() ? displaced : gone).add(p);
                }
            }
        }
        Map<Integer, Boolean> blockedPdbs = new TreeMap<>();
        for (int n : touchedNodes) {
            if (nodeMark[n] != drainedStamp) {
                continue;
            }
            for (int p : model.podsByNode[n]) {
                ModelPod pod = model.pods.get(p);
                if (podMark[p] == stamp || pod.daemon() || pod.mirror()) {
                    continue;
                }
                int blocking = evictionBlockedBy(p);
                if (blocking >= 0) {
                    blockedPdbs.put(blocking, true);
                    continue;
                }
                markDown(p, down, touchedPdbs);
                (pod.recreated() ? displaced : gone).add(p);
            }
        }
        for (int n : touchedNodes) {
            if (nodeMark[n] != retiredStamp) {
                continue;
            }
            for (int p : model.podsByNode[n]) {
                ModelPod pod = model.pods.get(p);
                if (podMark[p] == stamp || movedStamp[p] == stamp || pod.daemon() || pod.mirror()) {
                    continue;
                }
                if (pod.recreated()) {
                    movedStamp[p] = stamp;
                    displaced.add(p);
                } else {
                    markDown(p, down, touchedPdbs);
                    gone.add(p);
                }
            }
        }
        List<Integer> pending = place ? reschedule(displaced, touchedNodes.size()) : List.of();
        String placement =
                place ? placementMethod(displaced, pending) : "not placed again: examined for availability only";
        boolean undecided = placement.equals(PackingProver.HEURISTIC) || placement.equals(PackingProver.PACKING_EXISTS);
        if (undecided && packedBySolver(displaced)) {
            placement =
                    "placed by the bin-packing solver after first-fit-decreasing left " + pending.size() + " pending";
            pending = List.of();
        }
        for (int p : pending) {
            if (movedStamp[p] == stamp) {
                markDown(p, down, touchedPdbs);
            }
        }
        List<Outage> outages = outages(down, pending, gone, touchedPdbs, blockedPdbs, memberDown);
        for (int d : touchedPdbs.keySet()) {
            pdbDisrupted[d] = 0;
        }
        for (int d : blockedPdbs.keySet()) {
            pdbDisrupted[d] = 0;
        }
        long pendingCpu = 0;
        long pendingMemory = 0;
        for (int p : pending) {
            pendingCpu += model.pods.get(p).cpuMillis();
            pendingMemory += model.pods.get(p).memoryBytes();
        }
        return new Simulation(displaced.size(), pending.size(), pendingCpu, pendingMemory, placement, outages);
    }

    private void markDown(int p, List<Integer> down, Map<Integer, Boolean> touchedPdbs) {
        if (podMark[p] == stamp) {
            return;
        }
        podMark[p] = stamp;
        down.add(p);
        int w = model.podWorkload[p];
        if (w >= 0 && workloadMark[w] != stamp) {
            workloadMark[w] = stamp;
            downReadyWorkload[w] = 0;
            touchedWorkloads.add(w);
        }
        for (int s : model.servicesByPod[p]) {
            if (serviceMark[s] != stamp) {
                serviceMark[s] = stamp;
                downReadyService[s] = 0;
                touchedServices.add(s);
            }
        }
        if (model.pods.get(p).ready() && model.podNode[p] >= 0) {
            if (w >= 0) {
                downReadyWorkload[w]++;
            }
            for (int s : model.servicesByPod[p]) {
                downReadyService[s]++;
            }
            for (int d : model.pdbsByPod[p]) {
                pdbDisrupted[d]++;
                touchedPdbs.put(d, true);
            }
        }
    }

    /** The PDB that refuses this pod's eviction, or -1: eviction needs every covering budget to allow one more. */
    private int evictionBlockedBy(int p) {
        if (!model.pods.get(p).ready()) {
            return -1;
        }
        for (int d : model.pdbsByPod[p]) {
            int expected = model.podsByPdb[d].length;
            int healthy = model.readyByPdb[d] - pdbDisrupted[d];
            if (healthy - 1 < model.pdbs.get(d).desiredHealthy(expected)) {
                return d;
            }
        }
        return -1;
    }

    private List<Integer> reschedule(List<Integer> displaced, int outNodes) {
        int[] ranks = new int[displaced.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = ffdRank[displaced.get(i)];
        }
        java.util.Arrays.sort(ranks);
        List<Integer> order = new ArrayList<>(ranks.length);
        for (int rank : ranks) {
            order.add(byFfdRank[rank]);
        }
        List<Integer> touched = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        int[] destinations = model.nodesByFreeCpu;
        if (outNodes > COMPACT_ABOVE) {
            // The nodes an autoscaler or a zone takes out are often the roomiest, the first that first-fit tries:
            // every displaced pod would walk past all of them.
            destinations = java.util.Arrays.stream(model.nodesByFreeCpu)
                    .filter(n -> !isOut(n))
                    .toArray();
        }
        for (int p : order) {
            ModelPod pod = model.pods.get(p);
            int chosen = -1;
            for (int n : destinations) {
                if (model.freeCpu[n] < pod.cpuMillis()) {
                    break;
                }
                if (isOut(n) || model.nodes.get(n).unschedulable()) {
                    continue;
                }
                if (fits(p, pod, n)) {
                    chosen = n;
                    break;
                }
            }
            if (chosen < 0) {
                pending.add(p);
                continue;
            }
            if (usedCpu[chosen] == 0 && usedMemory[chosen] == 0 && usedPods[chosen] == 0) {
                touched.add(chosen);
            }
            usedCpu[chosen] += pod.cpuMillis();
            usedMemory[chosen] += pod.memoryBytes();
            usedPods[chosen] += 1;
            placedStamp[p] = stamp;
            placedNode[p] = chosen;
        }
        for (int n : touched) {
            usedCpu[n] = 0;
            usedMemory[n] = 0;
            usedPods[n] = 0;
        }
        return pending;
    }

    private boolean fits(int p, ModelPod pod, int n) {
        if (model.freeCpu[n] - usedCpu[n] < pod.cpuMillis()
                || model.freeMemory[n] - usedMemory[n] < pod.memoryBytes()
                || model.freePods[n] - usedPods[n] < 1) {
            return false;
        }
        return admits(model, pod, n) && !antiAffinity.violated(p, pod, n, this::placedOrLocation);
    }

    /** Whether the node's labels and taints admit the pod, whatever its capacity. */
    static boolean admits(ClusterModel model, ModelPod pod, int n) {
        ModelNode node = model.nodes.get(n);
        for (Map.Entry<String, String> entry : pod.nodeSelector().entrySet()) {
            if (!entry.getValue().equals(node.labels().get(entry.getKey()))) {
                return false;
            }
        }
        for (Taint taint : node.taints()) {
            if (("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()))
                    && pod.tolerations().stream().noneMatch(t -> tolerates(t, taint))) {
                return false;
            }
        }
        return matchesAffinity(pod.requiredNodeAffinity(), node);
    }

    private static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null
                && !toleration.getEffect().isEmpty()
                && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if ("Exists".equals(toleration.getOperator())) {
            return toleration.getKey() == null
                    || toleration.getKey().isEmpty()
                    || toleration.getKey().equals(taint.getKey());
        }
        return java.util.Objects.equals(toleration.getKey(), taint.getKey())
                && java.util.Objects.equals(
                        toleration.getValue() == null ? "" : toleration.getValue(),
                        taint.getValue() == null ? "" : taint.getValue());
    }

    private static boolean matchesAffinity(NodeSelector selector, ModelNode node) {
        if (selector == null
                || selector.getNodeSelectorTerms() == null
                || selector.getNodeSelectorTerms().isEmpty()) {
            return true;
        }
        for (NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
            boolean all = true;
            for (NodeSelectorRequirement r : nonNull(term.getMatchExpressions())) {
                all &= LabelSelectors.holds(r, node.labels().get(r.getKey()));
            }
            for (NodeSelectorRequirement r : nonNull(term.getMatchFields())) {
                all &= LabelSelectors.holds(r, "metadata.name".equals(r.getKey()) ? node.name() : null);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Where a pod runs during placement: where first-fit put it, else {@link #location}. */
    private int placedOrLocation(int p) {
        return placedStamp[p] == stamp ? placedNode[p] : location(p);
    }

    /**
     * Which method concluded about placement. When first-fit leaves pods pending, either a capacity bound proves
     * that no packing exists, or (small instances) the exhaustive prover decides; otherwise the answer is
     * first-fit's alone, unless the bin-packing solver then places every pod.
     */
    private String placementMethod(List<Integer> displaced, List<Integer> pending) {
        if (displaced.isEmpty()) {
            return "none displaced";
        }
        if (pending.isEmpty()) {
            return "first-fit-decreasing placed all";
        }
        return prover.explain(displaced, pending, out());
    }

    /** Whether this simulation takes the node out of service: lost, drained or removed by the autoscaler. */
    private boolean isOut(int n) {
        return nodeMark[n] > stamp && nodeMark[n] <= stamp + RETIRED;
    }

    private boolean[] out() {
        boolean[] out = new boolean[model.nodes.size()];
        for (int n = 0; n < out.length; n++) {
            out[n] = isOut(n);
        }
        return out;
    }

    /** Where a pod runs before placement: nowhere once it is down or displaced. */
    private int location(int p) {
        return podMark[p] == stamp || movedStamp[p] == stamp ? -1 : model.podNode[p];
    }

    /** Whether the bin-packing solver, started from first-fit's placement, places every displaced pod. */
    private boolean packedBySolver(List<Integer> displaced) {
        List<Integer> order = new ArrayList<>(displaced);
        order.sort(Comparator.comparingInt(p -> ffdRank[p]));
        return packer.placesAll(
                order, out(), p -> placedStamp[p] == stamp ? placedNode[p] : -1, this::location, antiAffinity);
    }

    private List<Outage> outages(
            List<Integer> down,
            List<Integer> pending,
            List<Integer> gone,
            Map<Integer, Boolean> touchedPdbs,
            Map<Integer, Boolean> blockedPdbs,
            boolean[] memberDown) {
        List<Outage> outages = new ArrayList<>();
        etcd(memberDown, outages);
        apiServer(outages);
        List<Integer> workloads = new ArrayList<>(touchedWorkloads);
        List<Integer> services = new ArrayList<>(touchedServices);
        workloads.sort(null);
        services.sort(null);
        boolean[] lasting = new boolean[model.workloads.size()];
        for (int p : pending) {
            if (model.podWorkload[p] >= 0) {
                lasting[model.podWorkload[p]] = true;
            }
        }
        for (int p : gone) {
            if (model.podWorkload[p] >= 0) {
                lasting[model.podWorkload[p]] = true;
            }
        }
        for (int w : workloads) {
            if (model.readyByWorkload[w] == 0 || model.readyByWorkload[w] - downReadyWorkload[w] > 0) {
                continue;
            }
            ModelWorkload workload = model.workloads.get(w);
            if (workload.kind().equals("Pod")
                    && model.pods.get(model.podsByWorkload[w][0]).mirror()) {
                continue;
            }
            outages.add(new Outage(
                    Outage.Kind.NoReadyReplica,
                    workload.ref(),
                    Severity.CRITICAL,
                    lasting[w],
                    "none of its " + model.readyByWorkload[w] + " ready pods survives"
                            + (lasting[w] ? "; the replacements cannot run" : " until replacements start")));
        }
        for (int s : services) {
            if (model.readyByService[s] == 0 || model.readyByService[s] - downReadyService[s] > 0) {
                continue;
            }
            boolean last = false;
            for (int p : model.podsByService[s]) {
                last |= model.podWorkload[p] >= 0 && lasting[model.podWorkload[p]];
            }
            outages.add(new Outage(
                    Outage.Kind.ServiceWithoutEndpoints,
                    model.services.get(s).ref(),
                    Severity.CRITICAL,
                    last,
                    "none of its " + model.readyByService[s] + " ready endpoints survives"));
        }
        for (int d : touchedPdbs.keySet()) {
            int expected = model.podsByPdb[d].length;
            int desired = model.pdbs.get(d).desiredHealthy(expected);
            int healthy = model.readyByPdb[d] - pdbDisrupted[d];
            if (model.readyByPdb[d] >= desired && healthy < desired) {
                outages.add(new Outage(
                        Outage.Kind.PdbViolated,
                        model.pdbs.get(d).ref(),
                        Severity.WARNING,
                        false,
                        healthy + " healthy pods left, the budget requires " + desired));
            }
        }
        for (int d : blockedPdbs.keySet()) {
            int desired = model.pdbs.get(d).desiredHealthy(model.podsByPdb[d].length);
            if (model.readyByPdb[d] - desired > 0) {
                continue;
            }
            outages.add(new Outage(
                    Outage.Kind.DrainBlocked,
                    model.pdbs.get(d).ref(),
                    Severity.WARNING,
                    true,
                    "the budget allows no eviction even on a healthy cluster, so the drain never finishes"));
        }
        if (!pending.isEmpty()) {
            Map<String, Integer> byWorkload = new LinkedHashMap<>();
            pending.stream()
                    .sorted()
                    .forEach(p -> byWorkload.merge(model.pods.get(p).workload(), 1, Integer::sum));
            List<String> top = byWorkload.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(5)
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .toList();
            outages.add(new Outage(
                    Outage.Kind.PodsPending,
                    null,
                    Severity.WARNING,
                    true,
                    pending.size() + " displaced pods fit on no remaining node: " + String.join(", ", top)
                            + (byWorkload.size() > 5 ? ", ..." : "")));
        }
        outages.sort(Comparator.comparing(Outage::severity).thenComparing(Outage::key));
        return outages;
    }

    private void etcd(boolean[] memberDown, List<Outage> outages) {
        int total = model.etcdMembers.size();
        if (total == 0) {
            return;
        }
        int quorum = total / 2 + 1;
        int healthy = 0;
        int after = 0;
        for (int m = 0; m < total; m++) {
            ModelEtcdMember member = model.etcdMembers.get(m);
            if (member.healthy()) {
                healthy++;
                if (!memberDown[m]) {
                    after++;
                }
            }
        }
        if (healthy >= quorum && after < quorum) {
            outages.add(new Outage(
                    Outage.Kind.EtcdQuorumLost,
                    new ObjectRef("EtcdCluster", null, "etcd", null),
                    Severity.CRITICAL,
                    false,
                    after + " of " + total + " members left, quorum is " + quorum));
        }
    }

    private void apiServer(List<Outage> outages) {
        if (model.apiServerPods.length == 0) {
            return;
        }
        int ready = 0;
        int after = 0;
        for (int p : model.apiServerPods) {
            if (model.pods.get(p).ready()) {
                ready++;
                if (podMark[p] != stamp) {
                    after++;
                }
            }
        }
        if (ready > 0 && after == 0) {
            outages.add(new Outage(
                    Outage.Kind.NoApiServer,
                    new ObjectRef("Component", "kube-system", "kube-apiserver", null),
                    Severity.CRITICAL,
                    false,
                    "none of its " + ready + " ready instances survives"));
        }
    }
}
