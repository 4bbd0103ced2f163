package dev.remedy.risks;

import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.count;
import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.sum;

import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;
import ai.timefold.solver.core.api.score.stream.uni.UniConstraintStream;

/** The rules of re-placing displaced pods, one method each, as the scheduler would apply them. */
public final class PackingConstraintProvider implements ConstraintProvider {

    private static final long MEBIBYTE = 1L << 20;

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            nodeCpu(factory),
            nodeMemory(factory),
            nodePods(factory),
            nodeAdmitsPod(factory),
            podAntiAffinity(factory),
            pendingPod(factory),
            movedFromFirstFit(factory)
        };
    }

    private static UniConstraintStream<PodPlacement> placed(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class);
    }

    // Hard: what the scheduler enforces.

    Constraint nodeCpu(ConstraintFactory factory) {
        return placed(factory)
                .groupBy(PodPlacement::getNode, sum(PodPlacement::getCpuMillis))
                .filter((node, cpu) -> cpu > node.freeCpuMillis())
                .penalize(HardMediumSoftScore.ONE_HARD, (node, cpu) -> cpu - node.freeCpuMillis())
                .asConstraint("Node cpu");
    }

    /** Penalized in MiB started, so an overcommit of one byte still counts. */
    Constraint nodeMemory(ConstraintFactory factory) {
        return placed(factory)
                .groupBy(PodPlacement::getNode, sum(PodPlacement::getMemoryBytes))
                .filter((node, memory) -> memory > node.freeMemoryBytes())
                .penalize(
                        HardMediumSoftScore.ONE_HARD,
                        (node, memory) -> (memory - node.freeMemoryBytes() + MEBIBYTE - 1) / MEBIBYTE)
                .asConstraint("Node memory");
    }

    Constraint nodePods(ConstraintFactory factory) {
        return placed(factory)
                .groupBy(PodPlacement::getNode, count())
                .filter((node, pods) -> pods > node.freePods())
                .penalize(HardMediumSoftScore.ONE_HARD, (node, pods) -> pods - node.freePods())
                .asConstraint("Node pods");
    }

    /** The value ranges already hold only admitting nodes; this keeps a placement given from outside honest. */
    Constraint nodeAdmitsPod(ConstraintFactory factory) {
        return placed(factory)
                .filter(p -> !p.admittedBy(p.getNode()))
                .penalize(HardMediumSoftScore.ONE_HARD)
                .asConstraint("Node admits pod");
    }

    Constraint podAntiAffinity(ConstraintFactory factory) {
        return factory.forEach(AntiAffinityConflict.class)
                .join(placed(factory), Joiners.equal(AntiAffinityConflict::pod, PodPlacement::getPod))
                .join(placed(factory), Joiners.equal((conflict, pod) -> conflict.other(), PodPlacement::getPod))
                .filter((conflict, pod, other) -> pod.getNode().sharesDomain(other.getNode(), conflict.topologyKey()))
                .penalize(HardMediumSoftScore.ONE_HARD)
                .asConstraint("Pod anti-affinity");
    }

    // Medium: availability.

    Constraint pendingPod(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(PodPlacement.class)
                .filter(p -> p.getNode() == null)
                .penalize(HardMediumSoftScore.ONE_MEDIUM)
                .asConstraint("Pending pod");
    }

    // Soft: least movement.

    Constraint movedFromFirstFit(ConstraintFactory factory) {
        return placed(factory)
                .filter(p -> p.getFirstFitNode() != null && !p.getFirstFitNode().equals(p.getNode()))
                .penalize(HardMediumSoftScore.ONE_SOFT)
                .asConstraint("Moved from first fit");
    }
}
