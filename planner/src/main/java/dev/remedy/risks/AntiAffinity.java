package dev.remedy.risks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
}
