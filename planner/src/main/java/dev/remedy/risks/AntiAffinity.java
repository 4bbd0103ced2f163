package dev.remedy.risks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * A displaced pod's required pod anti-affinity, as first-fit, the bin-packing solve and the autoscaler search
 * check it: no pod that one of its terms selects may run in the same topology domain. Where each other pod runs
 * is the caller's to say, since each keeps its own placement. The pods a term selects are looked up once per
 * namespace and selector: one instance per thread, like the {@link Simulator} that owns it.
 */
final class AntiAffinity {

    private final ClusterModel model;
    private final Map<Object, int[]> selected = new HashMap<>();
    /** For hostname terms, which {@link #blocked} call last found a selected pod on each node. */
    private int[] hostTaken;

    private int blockedCall;

    AntiAffinity(ClusterModel model) {
        this.model = model;
    }

    /** The pods that {@code term} of a pod in {@code namespace} selects. */
    int[] selected(String namespace, ModelPod.AntiAffinityTerm term) {
        return selected.computeIfAbsent(
                List.of(namespace, term.selector()), k -> model.matching(namespace, term.selector()));
    }

    /**
     * Whether pod {@code p} on node {@code n} would share a topology domain with a pod its terms select.
     *
     * @param location where each other pod runs, or -1 where it runs nowhere (down, displaced, pending)
     */
    boolean violated(int p, ModelPod pod, int n, IntUnaryOperator location) {
        for (ModelPod.AntiAffinityTerm term : pod.antiAffinity()) {
            String value = model.topologyValue(n, term.topologyKey());
            if (value == null) {
                continue;
            }
            for (int m : selected(pod.namespace(), term)) {
                if (m == p) {
                    continue;
                }
                int at = location.applyAsInt(m);
                if (at >= 0 && value.equals(model.topologyValue(at, term.topologyKey()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The topology domains pod {@code p} may not join, per term, where the pods its terms select run now: for
     * first-fit, which asks {@link #violated} of one pod on node after node while nothing else moves, this looks
     * at each selected pod once instead of once per node.
     *
     * @param location where each other pod runs, or -1 where it runs nowhere (down, displaced, pending)
     */
    Blocked blocked(int p, ModelPod pod, IntUnaryOperator location) {
        List<ModelPod.AntiAffinityTerm> terms = pod.antiAffinity();
        List<Set<String>> domains = new ArrayList<>(terms.size());
        blockedCall++;
        for (ModelPod.AntiAffinityTerm term : terms) {
            if (byHostname(term)) {
                // A node's hostname is its own domain: mark nodes rather than hash their names.
                if (hostTaken == null) {
                    hostTaken = new int[model.nodes.size()];
                }
                for (int m : selected(pod.namespace(), term)) {
                    int at = m == p ? -1 : location.applyAsInt(m);
                    if (at >= 0) {
                        hostTaken[at] = blockedCall;
                    }
                }
                domains.add(null);
                continue;
            }
            Set<String> taken = new HashSet<>();
            for (int m : selected(pod.namespace(), term)) {
                int at = m == p ? -1 : location.applyAsInt(m);
                String value = at >= 0 ? model.topologyValue(at, term.topologyKey()) : null;
                if (value != null) {
                    taken.add(value);
                }
            }
            domains.add(taken);
        }
        return new Blocked(terms, domains, blockedCall);
    }

    private static boolean byHostname(ModelPod.AntiAffinityTerm term) {
        return term.topologyKey() == null || term.topologyKey().equals("kubernetes.io/hostname");
    }

    /**
     * The domains one pod may not join, as {@link #blocked} found them; {@link #at} agrees with {@link #violated}
     * until the next call of {@link #blocked}, which reuses the marks of hostname terms.
     */
    final class Blocked {

        private final List<ModelPod.AntiAffinityTerm> terms;
        private final List<Set<String>> domains;
        private final int call;

        private Blocked(List<ModelPod.AntiAffinityTerm> terms, List<Set<String>> domains, int call) {
            this.terms = terms;
            this.domains = domains;
            this.call = call;
        }

        /** Whether the pod on node {@code n} would share a topology domain with a pod its terms select. */
        boolean at(int n) {
            for (int t = 0; t < terms.size(); t++) {
                Set<String> taken = domains.get(t);
                if (taken == null) {
                    if (hostTaken[n] == call) {
                        return true;
                    }
                } else if (!taken.isEmpty()
                        && taken.contains(model.topologyValue(n, terms.get(t).topologyKey()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
