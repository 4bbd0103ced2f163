package dev.remedy.solver;

import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.compose;
import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.countBi;
import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.countDistinct;
import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.max;
import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.sum;

import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;
import ai.timefold.solver.core.api.score.stream.bi.BiConstraintStream;
import ai.timefold.solver.core.api.score.stream.uni.UniConstraintStream;
import dev.remedy.plan.Severity;

/**
 * The rules of a safe plan, one method each. The names are the constraint ids of
 * {@code constraint-weights.yaml}, the tests and the README's constraint table.
 */
public final class RemedyConstraintProvider implements ConstraintProvider {

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
            prerequisitesFirst(factory),
            etcdQuorum(factory),
            apiserverAvailability(factory),
            disruptionBudget(factory),
            blastRadius(factory),
            capacity(factory),
            oneActionPerTarget(factory),
            resolveEveryFinding(factory),
            fewerWaves(factory),
            leastInvasiveRemedy(factory),
            fewerDisruptedPods(factory),
            criticalFindingsFirst(factory)
        };
    }

    private static UniConstraintStream<RemedyAssignment> placed(ConstraintFactory factory) {
        return factory.forEach(RemedyAssignment.class).filter(RemedyAssignment::isPlaced);
    }

    // Hard: safety.

    Constraint prerequisitesFirst(ConstraintFactory factory) {
        return placed(factory)
                .flatten(a -> a.getAlternative().requires())
                .map((a, link) -> new PlacedLink(a.getFindingId(), a.wave(link.offset()), link.key()))
                .join(
                        placed(factory)
                                .flatten(a -> a.getAlternative().provides())
                                .map((a, link) -> new PlacedLink(a.getFindingId(), a.wave(link.offset()), link.key())),
                        Joiners.equal(PlacedLink::key))
                .filter((need, give) -> !need.findingId().equals(give.findingId()) && give.wave() >= need.wave())
                .penalize(HardMediumSoftScore.ONE_HARD, (need, give) -> give.wave() - need.wave() + 1)
                .asConstraint("Prerequisites first");
    }

    /**
     * A restart takes a member down for its own wave only; a member added or removed stays added or removed in
     * every later wave, so each wave is checked against the membership all earlier waves left.
     */
    Constraint etcdQuorum(ConstraintFactory factory) {
        return etcdEvents(factory)
                .map(EtcdEvent::wave)
                .distinct()
                .join(
                        etcdEvents(factory),
                        Joiners.greaterThanOrEqual(wave -> wave, EtcdEvent::wave),
                        Joiners.filtering((wave, event) -> event.wave() == wave || event.permanent()))
                .groupBy(
                        (wave, event) -> wave,
                        sum((wave, event) -> event.wave() == wave ? event.healthyLost() : event.laterHealthyLost()),
                        sum((wave, event) -> event.sizeChange()))
                .join(ClusterLimits.class)
                .filter((wave, lost, change, limits) -> limits.etcdQuorumDeficit(lost, change) > 0)
                .penalize(
                        HardMediumSoftScore.ONE_HARD,
                        (wave, lost, change, limits) -> limits.etcdQuorumDeficit(lost, change))
                .asConstraint("Etcd quorum");
    }

    private UniConstraintStream<EtcdEvent> etcdEvents(ConstraintFactory factory) {
        return placed(factory)
                .flatten(a -> a.getAlternative().etcdOutages())
                .map((a, o) -> new EtcdEvent(a.wave(o.offset()), o.healthyLost(), o.sizeChange()));
    }

    /**
     * An etcd outage placed in its wave; a member change ({@code sizeChange} not 0) lasts. An added member is not
     * healthy in its own wave, and counts as healthy after it: apply pauses at every member change until a
     * person has confirmed the new member healthy.
     */
    record EtcdEvent(int wave, int healthyLost, int sizeChange) {
        boolean permanent() {
            return sizeChange != 0;
        }

        int laterHealthyLost() {
            return sizeChange > 0 ? -sizeChange : healthyLost;
        }
    }

    Constraint apiserverAvailability(ConstraintFactory factory) {
        return placed(factory)
                .flatten(a -> a.getAlternative().apiserverOutages())
                .groupBy((a, o) -> a.wave(o.offset()), countDistinct((a, o) -> o.node()))
                .join(ClusterLimits.class)
                .filter((wave, down, limits) -> limits.apiserversOverOne(down) > 0)
                .penalize(HardMediumSoftScore.ONE_HARD, (wave, down, limits) -> (int) limits.apiserversOverOne(down))
                .asConstraint("Apiserver availability");
    }

    Constraint disruptionBudget(ConstraintFactory factory) {
        return placed(factory)
                .flatten(a -> a.getAlternative().evictions())
                .groupBy((a, e) -> a.wave(e.offset()), (a, e) -> e.budget(), sum((a, e) -> e.pods()))
                .filter((wave, budget, pods) -> pods > budget.allowed())
                .penalize(HardMediumSoftScore.ONE_HARD, (wave, budget, pods) -> (int) (pods - budget.allowed()))
                .asConstraint("Disruption budget");
    }

    /**
     * Each node out of service in a wave, once however many actions take it out, summed per wave: how many, and
     * the requests they displace. Blast radius and capacity both read this one stream, so the solver keeps one
     * group per wave for the two of them and updates it once per move.
     */
    private static BiConstraintStream<Integer, WaveOutage> nodesOutPerWave(ConstraintFactory factory) {
        return placed(factory)
                .flatten(a -> a.getAlternative().nodeOutages())
                .groupBy((a, o) -> a.wave(o.offset()), (a, o) -> o.node())
                .groupBy(
                        (wave, node) -> wave,
                        compose(
                                countBi(),
                                sum((Integer wave, NodeLoad node) -> node.cpuMillis()),
                                sum((Integer wave, NodeLoad node) -> node.memoryBytes()),
                                WaveOutage::new));
    }

    /** The nodes out of service in one wave: how many, and what taking them out costs the rest of the cluster. */
    record WaveOutage(long nodes, long cpuMillis, long memoryBytes) {}

    Constraint blastRadius(ConstraintFactory factory) {
        return nodesOutPerWave(factory)
                .join(ClusterLimits.class)
                .filter((wave, out, limits) -> out.nodes() > limits.maxUnavailableNodes())
                .penalize(HardMediumSoftScore.ONE_HARD, (wave, out, limits) ->
                        (int) (out.nodes() - limits.maxUnavailableNodes()))
                .asConstraint("Blast radius");
    }

    Constraint capacity(ConstraintFactory factory) {
        return nodesOutPerWave(factory)
                .join(ClusterLimits.class)
                .filter((wave, out, limits) ->
                        out.cpuMillis() > limits.freeCpuMillis() || out.memoryBytes() > limits.freeMemoryBytes())
                .penalize(HardMediumSoftScore.ONE_HARD)
                .asConstraint("Capacity");
    }

    Constraint oneActionPerTarget(ConstraintFactory factory) {
        return placed(factory)
                .flatten(a -> a.getAlternative().touches())
                .groupBy((a, t) -> a.wave(t.offset()), (a, t) -> t.target(), countBi())
                .filter((wave, target, count) -> count > 1)
                .penalize(HardMediumSoftScore.ONE_HARD, (wave, target, count) -> (int) (count - 1))
                .asConstraint("One action per target");
    }

    // Medium: a finding left unresolved is worse than any plan quality, better than any unsafe plan.

    Constraint resolveEveryFinding(ConstraintFactory factory) {
        return factory.forEachIncludingUnassigned(RemedyAssignment.class)
                .filter(a -> a.getAlternative() == null)
                .penalize(HardMediumSoftScore.ONE_MEDIUM)
                .asConstraint("Resolve every finding");
    }

    // Soft: quality. Weights come from constraint-weights.yaml.

    Constraint fewerWaves(ConstraintFactory factory) {
        return placed(factory)
                .groupBy(max(RemedyAssignment::endWave))
                .penalize(HardMediumSoftScore.ONE_SOFT, last -> last)
                .asConstraint("Fewer waves");
    }

    Constraint leastInvasiveRemedy(ConstraintFactory factory) {
        return placed(factory)
                .penalize(
                        HardMediumSoftScore.ONE_SOFT,
                        a -> a.getAlternative().risk().weight())
                .asConstraint("Least invasive remedy");
    }

    Constraint fewerDisruptedPods(ConstraintFactory factory) {
        return placed(factory)
                .filter(a -> a.getAlternative().disruptedPods() > 0)
                .penalize(HardMediumSoftScore.ONE_SOFT, a -> a.getAlternative().disruptedPods())
                .asConstraint("Fewer disrupted pods");
    }

    Constraint criticalFindingsFirst(ConstraintFactory factory) {
        return placed(factory)
                .penalize(HardMediumSoftScore.ONE_SOFT, a -> a.endWave() * urgency(a.getSeverity()))
                .asConstraint("Critical findings first");
    }

    static int urgency(Severity severity) {
        return switch (severity) {
            case CRITICAL -> 4;
            case WARNING -> 2;
            case INFO -> 1;
        };
    }
}
