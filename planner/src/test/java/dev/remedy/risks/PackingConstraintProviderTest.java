package dev.remedy.risks;

import ai.timefold.solver.core.api.score.stream.test.ConstraintVerifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackingConstraintProviderTest {

    private static final long GIB = 1L << 30;
    private static final PackingNode NODE_A =
            new PackingNode(0, "node-a", 4000, 8 * GIB, 2, Map.of("topology.kubernetes.io/zone", "zone-a"));
    private static final PackingNode NODE_B =
            new PackingNode(1, "node-b", 4000, 8 * GIB, 2, Map.of("topology.kubernetes.io/zone", "zone-a"));
    private static final PackingNode NODE_C =
            new PackingNode(2, "node-c", 4000, 8 * GIB, 2, Map.of("topology.kubernetes.io/zone", "zone-b"));
    private static final List<PackingNode> ALL = List.of(NODE_A, NODE_B, NODE_C);

    private final ConstraintVerifier<PackingConstraintProvider, PodPacking> verifier =
            ConstraintVerifier.build(new PackingConstraintProvider(), PodPacking.class, PodPlacement.class);

    private static PodPlacement pod(int id, long cpu, long memory, PackingNode firstFit, PackingNode node) {
        PodPlacement placement = new PodPlacement(id, "shop/pod-" + id, cpu, memory, ALL, firstFit);
        placement.setNode(node);
        return placement;
    }

    @Test
    void nodeCpu() {
        verifier.verifyThat(PackingConstraintProvider::nodeCpu)
                .given(
                        pod(1, 3000, GIB, null, NODE_A),
                        pod(2, 1500, GIB, null, NODE_A),
                        pod(3, 4000, GIB, null, NODE_B))
                .penalizesBy(500);
    }

    @Test
    void nodeCpuDoesNotFireWhenRequestsFit() {
        verifier.verifyThat(PackingConstraintProvider::nodeCpu)
                .given(pod(1, 3000, GIB, null, NODE_A), pod(2, 1000, GIB, null, NODE_A), pod(3, 4000, GIB, null, null))
                .penalizesBy(0);
    }

    @Test
    void nodeMemory() {
        verifier.verifyThat(PackingConstraintProvider::nodeMemory)
                .given(pod(1, 100, 8 * GIB, null, NODE_A), pod(2, 100, 1, null, NODE_A))
                .penalizesBy(1);
    }

    @Test
    void nodeMemoryDoesNotFireWhenRequestsFit() {
        verifier.verifyThat(PackingConstraintProvider::nodeMemory)
                .given(pod(1, 100, 4 * GIB, null, NODE_A), pod(2, 100, 4 * GIB, null, NODE_A))
                .penalizesBy(0);
    }

    @Test
    void nodePods() {
        verifier.verifyThat(PackingConstraintProvider::nodePods)
                .given(pod(1, 1, 1, null, NODE_A), pod(2, 1, 1, null, NODE_A), pod(3, 1, 1, null, NODE_A))
                .penalizesBy(1);
    }

    @Test
    void nodePodsDoesNotFireWithinTheSlots() {
        verifier.verifyThat(PackingConstraintProvider::nodePods)
                .given(pod(1, 1, 1, null, NODE_A), pod(2, 1, 1, null, NODE_A), pod(3, 1, 1, null, NODE_B))
                .penalizesBy(0);
    }

    @Test
    void nodeAdmitsPod() {
        PodPlacement tainted = new PodPlacement(1, "shop/pod-1", 1, 1, List.of(NODE_A), null);
        tainted.setNode(NODE_B);
        PodPlacement admitted = new PodPlacement(2, "shop/pod-2", 1, 1, List.of(NODE_A), null);
        admitted.setNode(NODE_A);
        verifier.verifyThat(PackingConstraintProvider::nodeAdmitsPod)
                .given(tainted, admitted)
                .penalizesBy(1);
    }

    @Test
    void nodeAdmitsPodDoesNotFireWithinTheValueRange() {
        verifier.verifyThat(PackingConstraintProvider::nodeAdmitsPod)
                .given(pod(1, 1, 1, null, NODE_A), pod(2, 1, 1, null, NODE_C))
                .penalizesBy(0);
    }

    @Test
    void podAntiAffinity() {
        verifier.verifyThat(PackingConstraintProvider::podAntiAffinity)
                .given(
                        new AntiAffinityConflict(1, 2, "topology.kubernetes.io/zone"),
                        pod(1, 1, 1, null, NODE_A),
                        pod(2, 1, 1, null, NODE_B))
                .penalizesBy(1);
    }

    @Test
    void podAntiAffinityDoesNotFireAcrossDomainsOrForPendingPods() {
        verifier.verifyThat(PackingConstraintProvider::podAntiAffinity)
                .given(
                        new AntiAffinityConflict(1, 2, "topology.kubernetes.io/zone"),
                        new AntiAffinityConflict(1, 3, "topology.kubernetes.io/zone"),
                        new AntiAffinityConflict(2, 3, "kubernetes.io/hostname"),
                        pod(1, 1, 1, null, NODE_A),
                        pod(2, 1, 1, null, NODE_C),
                        pod(3, 1, 1, null, null))
                .penalizesBy(0);
    }

    @Test
    void pendingPod() {
        verifier.verifyThat(PackingConstraintProvider::pendingPod)
                .given(pod(1, 1, 1, NODE_A, null), pod(2, 1, 1, null, null), pod(3, 1, 1, null, NODE_B))
                .penalizesBy(2);
    }

    @Test
    void pendingPodDoesNotFireWhenAllArePlaced() {
        verifier.verifyThat(PackingConstraintProvider::pendingPod)
                .given(pod(1, 1, 1, NODE_A, NODE_A), pod(2, 1, 1, null, NODE_B))
                .penalizesBy(0);
    }

    @Test
    void movedFromFirstFit() {
        verifier.verifyThat(PackingConstraintProvider::movedFromFirstFit)
                .given(pod(1, 1, 1, NODE_A, NODE_B), pod(2, 1, 1, NODE_A, NODE_A))
                .penalizesBy(1);
    }

    @Test
    void movedFromFirstFitDoesNotFireForPodsFirstFitLeftPending() {
        verifier.verifyThat(PackingConstraintProvider::movedFromFirstFit)
                .given(pod(1, 1, 1, null, NODE_B), pod(2, 1, 1, NODE_C, NODE_C))
                .penalizesBy(0);
    }
}
