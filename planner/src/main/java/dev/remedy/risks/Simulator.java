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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final IntList touchedWorkloads = new IntList();
    private final IntList touchedServices = new IntList();
    private final int[] pdbTouched;
    private final int[] pdbBlocked;
    private final IntList touchedPdbs = new IntList();
    private final IntList blockedPdbs = new IntList();
    private final IntList touchedNodes = new IntList();
    private final IntList displaced = new IntList();
    private final IntList gone = new IntList();
    private final IntList pending = new IntList();
    /** Each budget's required healthy pods, which it works out from a percentage on every call. */
    private final int[] desiredHealthy;
    /** Whether each pod is ready on a node: what counts against workloads, Services and budgets when it goes. */
    private final boolean[] readyOnNode;
    /**
     * Each pod's placement class, or null until it is first placed. A workload's replicas share their node
     * selector, tolerations, required node affinity and anti-affinity terms, so first-fit asks which nodes admit
     * them once per class, not once per pod and node.
     */
    private final PlacementClass[] podClass;

    private final Map<List<Object>, PlacementClass> classes = new HashMap<>();
    private final Map<List<Object>, Admission> admissions = new HashMap<>();

    /**
     * One node selector, tolerations and required node affinity: the schedulable nodes they admit, most free CPU
     * first, and (for the simulation of {@link #compactStamp}) those of them left in service.
     */
    private static final class Admission {
        final int[] nodes;
        int[] compact;
        int compactStamp;

        Admission(int[] nodes) {
            this.nodes = nodes;
        }
    }

    /**
     * The pods of one class, and what first-fit learnt about them in the simulation of each stamp. First-fit
     * only fills nodes, and a node a pod's anti-affinity rules out stays ruled out for the pods of its class, so:
     * a pod that requests at least what one that fit nowhere did fits nowhere either; and a pod that requests
     * what the previous one placed did fits on none of the nodes that one passed over.
     */
    private static final class PlacementClass {
        final Admission admission;
        int failedStamp;
        long failedCpu;
        long failedMemory;
        int resumeStamp;
        long resumeCpu;
        long resumeMemory;
        int resumeAt;

        PlacementClass(Admission admission) {
            this.admission = admission;
        }
    }
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
        pdbTouched = new int[model.pdbs.size()];
        pdbBlocked = new int[model.pdbs.size()];
        podClass = new PlacementClass[model.pods.size()];
        desiredHealthy = new int[model.pdbs.size()];
        for (int d = 0; d < desiredHealthy.length; d++) {
            desiredHealthy[d] = model.pdbs.get(d).desiredHealthy(model.podsByPdb[d].length);
        }
        readyOnNode = new boolean[model.pods.size()];
        for (int p = 0; p < readyOnNode.length; p++) {
            readyOnNode[p] = model.pods.get(p).ready() && model.podNode[p] >= 0;
        }
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
        touchedNodes.clear();
        displaced.clear();
        gone.clear();
        touchedPdbs.clear();
        blockedPdbs.clear();
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
                markDown(p);
            }
        }
        for (int i = 0; i < touchedNodes.size(); i++) {
            int n = touchedNodes.get(i);
            if (nodeMark[n] != lostStamp) {
                continue;
            }
            for (int p : model.podsByNode[n]) {
                if (podMark[p] != stamp) {
                    markDown(p);
                    ModelPod pod = model.pods.get(p);
                    (pod.recreated() && !pod.daemon() ? displaced : gone).add(p);
                }
            }
        }
        for (int i = 0; i < touchedNodes.size(); i++) {
            int n = touchedNodes.get(i);
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
                    if (pdbBlocked[blocking] != stamp) {
                        pdbBlocked[blocking] = stamp;
                        blockedPdbs.add(blocking);
                    }
                    continue;
                }
                markDown(p);
                (pod.recreated() ? displaced : gone).add(p);
            }
        }
        for (int i = 0; i < touchedNodes.size(); i++) {
            int n = touchedNodes.get(i);
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
                    markDown(p);
                    gone.add(p);
                }
            }
        }
        pending.clear();
        if (place) {
            reschedule(touchedNodes.size());
        }
        String placement = place ? placementMethod() : "not placed again: examined for availability only";
        boolean undecided = placement.equals(PackingProver.HEURISTIC) || placement.equals(PackingProver.PACKING_EXISTS);
        if (undecided && packedBySolver()) {
            placement =
                    "placed by the bin-packing solver after first-fit-decreasing left " + pending.size() + " pending";
            pending.clear();
        }
        for (int i = 0; i < pending.size(); i++) {
            int p = pending.get(i);
            if (movedStamp[p] == stamp) {
                markDown(p);
            }
        }
        touchedPdbs.sort();
        blockedPdbs.sort();
        List<Outage> outages = outages(memberDown);
        for (int i = 0; i < touchedPdbs.size(); i++) {
            pdbDisrupted[touchedPdbs.get(i)] = 0;
        }
        for (int i = 0; i < blockedPdbs.size(); i++) {
            pdbDisrupted[blockedPdbs.get(i)] = 0;
        }
        long pendingCpu = 0;
        long pendingMemory = 0;
        for (int i = 0; i < pending.size(); i++) {
            pendingCpu += model.pods.get(pending.get(i)).cpuMillis();
            pendingMemory += model.pods.get(pending.get(i)).memoryBytes();
        }
        return new Simulation(displaced.size(), pending.size(), pendingCpu, pendingMemory, placement, outages);
    }

    private void markDown(int p) {
        if (podMark[p] == stamp) {
            return;
        }
        podMark[p] = stamp;
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
        if (readyOnNode[p]) {
            if (w >= 0) {
                downReadyWorkload[w]++;
            }
            for (int s : model.servicesByPod[p]) {
                downReadyService[s]++;
            }
            for (int d : model.pdbsByPod[p]) {
                pdbDisrupted[d]++;
                if (pdbTouched[d] != stamp) {
                    pdbTouched[d] = stamp;
                    touchedPdbs.add(d);
                }
            }
        }
    }

    /** The PDB that refuses this pod's eviction, or -1: eviction needs every covering budget to allow one more. */
    private int evictionBlockedBy(int p) {
        if (!model.pods.get(p).ready()) {
            return -1;
        }
        for (int d : model.pdbsByPod[p]) {
            int healthy = model.readyByPdb[d] - pdbDisrupted[d];
            if (healthy - 1 < desiredHealthy[d]) {
                return d;
            }
        }
        return -1;
    }

    /** Places the displaced pods by first-fit decreasing, adding those that fit nowhere to {@link #pending}. */
    private void reschedule(int outNodes) {
        int[] ranks = new int[displaced.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = ffdRank[displaced.get(i)];
        }
        java.util.Arrays.sort(ranks);
        IntList touched = new IntList();
        for (int rank : ranks) {
            int p = byFfdRank[rank];
            ModelPod pod = model.pods.get(p);
            PlacementClass c = placementClass(p, pod);
            if (c.failedStamp == stamp && pod.cpuMillis() >= c.failedCpu && pod.memoryBytes() >= c.failedMemory) {
                pending.add(p);
                continue;
            }
            int chosen = -1;
            AntiAffinity.Blocked blocked = null;
            int[] destinations = destinations(c, outNodes);
            int start = c.resumeStamp == stamp && pod.cpuMillis() == c.resumeCpu && pod.memoryBytes() == c.resumeMemory
                    ? c.resumeAt
                    : 0;
            for (int at = start; at < destinations.length; at++) {
                int n = destinations[at];
                if (model.freeCpu[n] < pod.cpuMillis()) {
                    break;
                }
                if (isOut(n) || !fits(pod, n)) {
                    continue;
                }
                if (!pod.antiAffinity().isEmpty()) {
                    if (blocked == null) {
                        blocked = antiAffinity.blocked(p, pod, this::placedOrLocation);
                    }
                    if (blocked.at(n)) {
                        continue;
                    }
                }
                chosen = n;
                c.resumeStamp = stamp;
                c.resumeCpu = pod.cpuMillis();
                c.resumeMemory = pod.memoryBytes();
                c.resumeAt = at;
                break;
            }
            if (chosen < 0) {
                pending.add(p);
                c.failedStamp = stamp;
                c.failedCpu = pod.cpuMillis();
                c.failedMemory = pod.memoryBytes();
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
        for (int i = 0; i < touched.size(); i++) {
            int n = touched.get(i);
            usedCpu[n] = 0;
            usedMemory[n] = 0;
            usedPods[n] = 0;
        }
    }

    /** Whether the pod's requests fit on the node next to what first-fit has placed so far. */
    private boolean fits(ModelPod pod, int n) {
        return model.freeCpu[n] - usedCpu[n] >= pod.cpuMillis()
                && model.freeMemory[n] - usedMemory[n] >= pod.memoryBytes()
                && model.freePods[n] - usedPods[n] >= 1;
    }

    private PlacementClass placementClass(int p, ModelPod pod) {
        if (podClass[p] != null) {
            return podClass[p];
        }
        List<Object> admission =
                java.util.Arrays.asList(pod.nodeSelector(), pod.tolerations(), pod.requiredNodeAffinity());
        List<Object> key = java.util.Arrays.asList(
                admission, pod.antiAffinity().isEmpty() ? null : pod.namespace(), pod.antiAffinity());
        podClass[p] = classes.computeIfAbsent(
                key,
                k -> new PlacementClass(admissions.computeIfAbsent(
                        admission,
                        a -> new Admission(java.util.Arrays.stream(model.nodesByFreeCpu)
                                .filter(n -> !model.nodes.get(n).unschedulable() && admits(model, pod, n))
                                .toArray()))));
        return podClass[p];
    }

    /** Whether some node left in service could hold the pod alone: its class admits it and it has room. */
    private boolean fitsAlone(int p) {
        ModelPod pod = model.pods.get(p);
        for (int n : placementClass(p, pod).admission.nodes) {
            if (model.freeCpu[n] < pod.cpuMillis()) {
                return false;
            }
            if (!isOut(n) && model.freeMemory[n] >= pod.memoryBytes() && model.freePods[n] >= 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * The nodes first-fit tries for a class. The nodes an autoscaler or a zone takes out are often the roomiest,
     * the first that first-fit tries: above {@link #COMPACT_ABOVE} out of service, every displaced pod would walk
     * past all of them, so the nodes of each admission are filtered once for the simulation.
     */
    private int[] destinations(PlacementClass c, int outNodes) {
        Admission a = c.admission;
        if (outNodes <= COMPACT_ABOVE) {
            return a.nodes;
        }
        if (a.compactStamp != stamp) {
            int[] staying = new int[a.nodes.length];
            int size = 0;
            for (int n : a.nodes) {
                if (!isOut(n)) {
                    staying[size++] = n;
                }
            }
            a.compact = java.util.Arrays.copyOf(staying, size);
            a.compactStamp = stamp;
        }
        return a.compact;
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
    private String placementMethod() {
        if (displaced.isEmpty()) {
            return "none displaced";
        }
        if (pending.isEmpty()) {
            return "first-fit-decreasing placed all";
        }
        return prover.explain(displaced.boxed(), pending.boxed(), out(), this::fitsAlone);
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
    private boolean packedBySolver() {
        List<Integer> order = new ArrayList<>(displaced.boxed());
        order.sort(Comparator.comparingInt(p -> ffdRank[p]));
        return packer.placesAll(
                order, out(), p -> placedStamp[p] == stamp ? placedNode[p] : -1, this::location, antiAffinity);
    }

    private List<Outage> outages(boolean[] memberDown) {
        List<Outage> outages = new ArrayList<>();
        etcd(memberDown, outages);
        apiServer(outages);
        touchedWorkloads.sort();
        touchedServices.sort();
        boolean[] lasting = new boolean[model.workloads.size()];
        for (int i = 0; i < pending.size(); i++) {
            int p = pending.get(i);
            if (model.podWorkload[p] >= 0) {
                lasting[model.podWorkload[p]] = true;
            }
        }
        for (int i = 0; i < gone.size(); i++) {
            int p = gone.get(i);
            if (model.podWorkload[p] >= 0) {
                lasting[model.podWorkload[p]] = true;
            }
        }
        for (int i = 0; i < touchedWorkloads.size(); i++) {
            int w = touchedWorkloads.get(i);
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
        for (int i = 0; i < touchedServices.size(); i++) {
            int s = touchedServices.get(i);
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
        for (int i = 0; i < touchedPdbs.size(); i++) {
            int d = touchedPdbs.get(i);
            int desired = desiredHealthy[d];
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
        for (int i = 0; i < blockedPdbs.size(); i++) {
            int d = blockedPdbs.get(i);
            int desired = desiredHealthy[d];
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
            int[] sorted = new int[pending.size()];
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] = pending.get(i);
            }
            java.util.Arrays.sort(sorted);
            for (int p : sorted) {
                byWorkload.merge(model.pods.get(p).workload(), 1, Integer::sum);
            }
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
        return sorted(outages);
    }

    /** By severity then key, each key made once: a zone loss can cost hundreds of outages. */
    private static List<Outage> sorted(List<Outage> outages) {
        record Keyed(Outage outage, String key) {}
        List<Keyed> keyed = new ArrayList<>(outages.size());
        for (Outage outage : outages) {
            keyed.add(new Keyed(outage, outage.key()));
        }
        keyed.sort(Comparator.comparing((Keyed k) -> k.outage().severity()).thenComparing(Keyed::key));
        List<Outage> result = new ArrayList<>(keyed.size());
        for (Keyed k : keyed) {
            result.add(k.outage());
        }
        return result;
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
