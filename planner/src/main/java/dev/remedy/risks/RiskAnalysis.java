package dev.remedy.risks;

import dev.remedy.plan.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the smallest event sets that cause each outage: every single event, then pairs of events, keeping for
 * a pair only the outages neither of its events causes alone (so no redundant superset is reported). Pairs
 * are not enumerated blindly: a pair is evaluated only when both events touch one fragile group whose ready
 * pods they could take out together (a workload, a Service, a PDB), when both touch the control plane, or
 * when both remove one of the largest nodes or a zone (capacity). The report states these limits.
 */
public final class RiskAnalysis {

    /** Nodes whose loss is paired with each other for capacity: the most requested ones. */
    static final int CAPACITY_NODES = 10;
    /** Pairs evaluated per fragile group at most; the rest are counted as skipped. */
    static final int PAIRS_PER_GROUP = 200;

    private RiskAnalysis() {}

    /** One minimal event set, what it causes that no smaller set does, and how bad and likely it is. */
    public record Found(List<RiskEvent> events, List<Outage> outages, Simulation simulation) {

        public Severity severity() {
            return outages.stream()
                    .map(Outage::severity)
                    .min(Comparator.naturalOrder())
                    .orElse(Severity.INFO);
        }

        public Likelihood likelihood() {
            Likelihood least = events.stream()
                    .map(RiskEvent::likelihood)
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
            return events.size() > 1 ? least.lower() : least;
        }

        public String id() {
            return String.join("+", events.stream().map(RiskEvent::id).toList());
        }
    }

    /** What was analysed and how the search was limited. */
    public record Stats(
            int events,
            int singletons,
            long possiblePairs,
            int pairsEvaluated,
            int pairsSkipped,
            List<String> limits) {}

    /** All risks, ranked, with the search's figures. */
    public record Result(List<RiskEvent> events, List<Found> risks, Stats stats) {}

    public static Result analyze(ClusterModel model, int depth) {
        if (depth < 1 || depth > 2) {
            throw new IllegalArgumentException("The depth (" + depth + ") is not supported.\nMaybe use 1 or 2.");
        }
        List<RiskEvent> events = EventCatalog.events(model);
        Simulations simulations = new Simulations(model);
        List<Simulation> singles =
                simulations.map(events.size(), (simulator, e) -> simulator.simulate(List.of(events.get(e))));
        List<Found> risks = new ArrayList<>();
        List<Set<String>> alone = new ArrayList<>();
        for (int e = 0; e < events.size(); e++) {
            RiskEvent event = events.get(e);
            Simulation simulation = singles.get(e);
            Set<String> keys = new HashSet<>();
            simulation.outages().forEach(o -> keys.add(o.key()));
            alone.add(keys);
            if (!simulation.outages().isEmpty()) {
                risks.add(new Found(List.of(event), simulation.outages(), simulation));
            }
        }
        int evaluated = 0;
        int[] skipped = {0};
        List<String> limits = new ArrayList<>();
        long possible = (long) events.size() * (events.size() - 1) / 2;
        if (depth == 2) {
            Set<Long> placing = new HashSet<>();
            Set<Long> pairs = candidatePairs(model, events, skipped, placing);
            List<Long> sorted = new ArrayList<>(pairs);
            sorted.sort(Comparator.naturalOrder());
            List<Simulation> paired = simulations.map(sorted.size(), (simulator, k) -> {
                long pair = sorted.get(k);
                RiskEvent first = events.get((int) (pair >>> 32));
                RiskEvent second = events.get((int) pair);
                return nested(model, first, second)
                        ? null
                        : simulator.simulate(List.of(first, second), placing.contains(pair));
            });
            for (int k = 0; k < sorted.size(); k++) {
                long pair = sorted.get(k);
                int i = (int) (pair >>> 32);
                int j = (int) pair;
                Simulation simulation = paired.get(k);
                if (simulation == null) {
                    continue;
                }
                evaluated++;
                List<Outage> fresh = simulation.outages().stream()
                        .filter(o ->
                                !alone.get(i).contains(o.key()) && !alone.get(j).contains(o.key()))
                        .toList();
                if (!fresh.isEmpty()) {
                    risks.add(new Found(List.of(events.get(i), events.get(j)), fresh, simulation));
                }
            }
            limits.add("pairs evaluated only where both events touch one workload, Service or PDB whose ready pods"
                    + " they could take out together, or both touch the control plane (availability only: displaced"
                    + " pods are not placed again), or both remove one of the " + CAPACITY_NODES
                    + " most requested nodes, a zone or the autoscaler's nodes (placed again: pending pods)");
            if (skipped[0] > 0) {
                limits.add(skipped[0] + " candidate pairs skipped: at most " + PAIRS_PER_GROUP + " per group");
            }
        }
        limits.add("rescheduling honours requests, taints, nodeSelector, required node affinity and the"
                + " displaced pod's required anti-affinity; not topologySpreadConstraints, preferred rules, ports,"
                + " volumes, priorities or preemption");
        risks.sort(Comparator.comparing(Found::severity)
                .thenComparing(Found::likelihood)
                .thenComparingInt(f -> f.events().size())
                .thenComparing(Found::id));
        return new Result(
                events, risks, new Stats(events.size(), events.size(), possible, evaluated, skipped[0], limits));
    }

    private static Set<Long> candidatePairs(
            ClusterModel model, List<RiskEvent> events, int[] skipped, Set<Long> placing) {
        List<List<Integer>> eventsByNode = new ArrayList<>();
        for (int n = 0; n < model.nodes.size(); n++) {
            eventsByNode.add(new ArrayList<>());
        }
        for (int e = 0; e < events.size(); e++) {
            for (int n : events.get(e).touchedNodes()) {
                eventsByNode.get(n).add(e);
            }
        }
        Set<Long> pairs = new LinkedHashSet<>();
        for (int w = 0; w < model.workloads.size(); w++) {
            coverPairs(model, model.podsByWorkload[w], model.readyByWorkload[w], eventsByNode, pairs, skipped);
        }
        for (int s = 0; s < model.services.size(); s++) {
            coverPairs(model, model.podsByService[s], model.readyByService[s], eventsByNode, pairs, skipped);
        }
        for (int d = 0; d < model.pdbs.size(); d++) {
            int allowed = model.readyByPdb[d] - model.pdbs.get(d).desiredHealthy(model.podsByPdb[d].length);
            coverPairs(model, model.podsByPdb[d], Math.max(1, allowed + 1), eventsByNode, pairs, skipped);
        }
        List<Integer> controlPlane = new ArrayList<>();
        Set<Integer> apiNodes = new HashSet<>();
        for (int p : model.apiServerPods) {
            apiNodes.add(model.podNode[p]);
        }
        for (int e = 0; e < events.size(); e++) {
            RiskEvent event = events.get(e);
            boolean touches = event.downMembers().length > 0 || event.downPods().length > 0;
            for (int n : event.lostNodes()) {
                touches |= apiNodes.contains(n);
            }
            if (touches) {
                controlPlane.add(e);
            }
        }
        allPairs(controlPlane, pairs, skipped);
        Integer[] byRequests = new Integer[model.nodes.size()];
        for (int n = 0; n < byRequests.length; n++) {
            byRequests[n] = n;
        }
        Arrays.sort(
                byRequests,
                Comparator.comparingLong((Integer n) -> -(model.nodes.get(n).cpuMillis() - model.freeCpu[n]))
                        .thenComparingInt(n -> n));
        List<Integer> capacity = new ArrayList<>();
        for (int k = 0; k < Math.min(CAPACITY_NODES, byRequests.length); k++) {
            capacity.addAll(eventsByNode.get(byRequests[k]));
        }
        for (int e = 0; e < events.size(); e++) {
            if (events.get(e).type() == EventType.ZONE_LOSS
                    || events.get(e).type() == EventType.AUTOSCALER_SCALE_DOWN) {
                capacity.add(e);
            }
        }
        Set<Long> capacityPairs = new LinkedHashSet<>();
        allPairs(new ArrayList<>(new java.util.TreeSet<>(capacity)), capacityPairs, skipped);
        placing.addAll(capacityPairs);
        pairs.addAll(capacityPairs);
        return pairs;
    }

    /**
     * Pairs of events that together touch at least {@code needed} of the group's ready pods while neither does
     * alone: the only pairs that can take the group down (or past its budget) without a single event doing so.
     */
    private static void coverPairs(
            ClusterModel model,
            int[] pods,
            int needed,
            List<List<Integer>> eventsByNode,
            Set<Long> pairs,
            int[] skipped) {
        if (needed <= 0) {
            return;
        }
        Map<Integer, Integer> readyOnNode = new HashMap<>();
        for (int p : pods) {
            if (model.pods.get(p).ready() && model.podNode[p] >= 0) {
                readyOnNode.merge(model.podNode[p], 1, Integer::sum);
            }
        }
        if (readyOnNode.isEmpty()) {
            return;
        }
        Map<Integer, Integer> cover = new TreeMap<>();
        readyOnNode.forEach((node, count) -> {
            for (int e : eventsByNode.get(node)) {
                cover.merge(e, count, Integer::sum);
            }
        });
        List<int[]> candidates = new ArrayList<>();
        cover.forEach((e, c) -> {
            if (c < needed) {
                candidates.add(new int[] {e, c});
            }
        });
        candidates.sort(Comparator.comparingInt((int[] a) -> -a[1]).thenComparingInt(a -> a[0]));
        int added = 0;
        for (int i = 0; i < candidates.size(); i++) {
            for (int j = i + 1; j < candidates.size(); j++) {
                if (candidates.get(i)[1] + candidates.get(j)[1] < needed) {
                    break;
                }
                if (added >= PAIRS_PER_GROUP) {
                    skipped[0]++;
                    continue;
                }
                if (pairs.add(key(candidates.get(i)[0], candidates.get(j)[0]))) {
                    added++;
                }
            }
        }
    }

    private static void allPairs(List<Integer> group, Set<Long> pairs, int[] skipped) {
        int added = 0;
        for (int i = 0; i < group.size(); i++) {
            for (int j = i + 1; j < group.size(); j++) {
                if (added >= PAIRS_PER_GROUP * 10) {
                    skipped[0]++;
                } else if (pairs.add(key(group.get(i), group.get(j)))) {
                    added++;
                }
            }
        }
    }

    private static long key(int a, int b) {
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        return ((long) low << 32) | high;
    }

    /** Whether one event's effect contains the other's: the pair is then the larger event alone. */
    private static boolean nested(ClusterModel model, RiskEvent a, RiskEvent b) {
        return contains(model, a, b) || contains(model, b, a);
    }

    private static boolean contains(ClusterModel model, RiskEvent outer, RiskEvent inner) {
        Set<Integer> lost = new HashSet<>();
        for (int n : outer.lostNodes()) {
            lost.add(n);
        }
        Set<Integer> touched = new HashSet<>(lost);
        // The autoscaler drains its nodes one at a time, so it does not contain a drain of all of one node at once.
        if (outer.type() != EventType.AUTOSCALER_SCALE_DOWN || inner.type() == EventType.AUTOSCALER_SCALE_DOWN) {
            for (int n : outer.drainedNodes()) {
                touched.add(n);
            }
        }
        for (int n : inner.lostNodes()) {
            if (!lost.contains(n)) {
                return false;
            }
        }
        for (int n : inner.drainedNodes()) {
            if (!touched.contains(n)) {
                return false;
            }
        }
        Set<Integer> members = new HashSet<>();
        for (int m : outer.downMembers()) {
            members.add(m);
        }
        for (int m : inner.downMembers()) {
            if (!members.contains(m)) {
                return false;
            }
        }
        for (int p : inner.downPods()) {
            boolean covered = lost.contains(model.podNode[p]);
            for (int q : outer.downPods()) {
                covered |= q == p;
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }
}
