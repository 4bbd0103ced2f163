package dev.remedy.solver;

import ai.timefold.solver.core.api.score.stream.test.ConstraintVerifier;
import dev.remedy.knowledge.Match;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemedyConstraintProviderTest {

    private static final ClusterLimits LIMITS = new ClusterLimits(2, 3, 3, 2, 10_000, 10_000);

    private final ConstraintVerifier<RemedyConstraintProvider, RemediationSchedule> verifier =
            ConstraintVerifier.build(new RemedyConstraintProvider(), RemediationSchedule.class, RemedyAssignment.class);

    @Test
    void prerequisitesFirst() {
        RemedyAssignment snapshot =
                Alternatives.of("F1").provides(0, "etcd snapshot").at(2);
        RemedyAssignment editAfter =
                Alternatives.of("F2").requires(0, "etcd snapshot").at(3);
        RemedyAssignment editSameWave =
                Alternatives.of("F3").requires(0, "etcd snapshot").at(2);
        RemedyAssignment ownChain = Alternatives.of("F4")
                .actions(2)
                .provides(1, "drained n1")
                .requires(0, "drained n1")
                .at(1);
        verifier.verifyThat(RemedyConstraintProvider::prerequisitesFirst)
                .given(snapshot, editAfter, editSameWave, ownChain)
                .penalizesBy(1);
    }

    @Test
    void prerequisitesFirstMovesACniConfigOnlyAfterItsDaemonSetIsPaused() {
        ClusterModel cluster = CniClusters.withCalicoAndFlannel();
        Match.Action pause = CniClusters.pause("calico-node");
        RemedyAssignment pausedInWave1 = placed("F1", List.of(pause), cluster, 1);
        RemedyAssignment moveInWave1 = placed("F2", List.of(CniClusters.moveCalicoConfig("n1")), cluster, 1);
        RemedyAssignment moveInWave2 = placed("F3", List.of(CniClusters.moveCalicoConfig("n2")), cluster, 2);
        RemedyAssignment rebootInWave1 = placed(
                "F4", List.of(CniClusters.moveCalicoConfig("n3"), TimefoldWavePlannerTest.reboot("n3")), cluster, 1);

        verifier.verifyThat(RemedyConstraintProvider::prerequisitesFirst)
                .given(pausedInWave1, moveInWave1, moveInWave2, rebootInWave1)
                .penalizesBy(2);
    }

    @Test
    void prerequisitesFirstIgnoresPatchesThatKeepTheCniDaemonSetsPods() {
        ClusterModel cluster = CniClusters.withCalicoAndFlannel();
        RemedyAssignment newImage =
                placed("F1", List.of(CniClusters.patch("calico-node", Map.of("image", "x"))), cluster, 1);
        RemedyAssignment selectorOfANode = placed(
                "F2",
                List.of(CniClusters.patch(
                        "calico-node",
                        Map.of(
                                "spec",
                                Map.of("template", Map.of("spec", Map.of("nodeSelector", Map.of("pool", "a"))))))),
                cluster,
                1);
        RemedyAssignment move = placed("F4", List.of(CniClusters.moveCalicoConfig("n1")), cluster, 2);

        verifier.verifyThat(RemedyConstraintProvider::prerequisitesFirst)
                .given(newImage, selectorOfANode, move)
                .penalizesBy(0);
    }

    private static RemedyAssignment placed(String finding, List<Match.Action> actions, ClusterModel cluster, int wave) {
        Alternative alternative = ActionEffects.alternative(finding, "remedy", Risk.MEDIUM, actions, cluster);
        return new RemedyAssignment(finding, Severity.CRITICAL, List.of(alternative), alternative, wave);
    }

    @Test
    void etcdQuorum() {
        RemedyAssignment a = Alternatives.of("F1").etcdDown(0, "a").at(1);
        RemedyAssignment b = Alternatives.of("F2").etcdDown(0, "b").at(1);
        RemedyAssignment c = Alternatives.of("F3").etcdDown(0, "c").at(2);
        verifier.verifyThat(RemedyConstraintProvider::etcdQuorum)
                .given(LIMITS, a, b, c)
                .penalizesBy(1);
    }

    @Test
    void etcdQuorumRemembersMembershipChangesOfEarlierWaves() {
        RemedyAssignment removeHealthy =
                Alternatives.of("F1").etcdMemberRemoved(0, "c", true).at(1);
        RemedyAssignment restartLater = Alternatives.of("F2").etcdDown(0, "a").at(2);
        RemedyAssignment restartBefore = Alternatives.of("F3").etcdDown(0, "b").at(0);
        verifier.verifyThat(RemedyConstraintProvider::etcdQuorum)
                .given(LIMITS, removeHealthy, restartLater, restartBefore)
                .penalizesBy(1);
    }

    @Test
    void apiserverAvailability() {
        RemedyAssignment m1 = Alternatives.of("F1").apiserverDown(0, "m1").at(1);
        RemedyAssignment m2 = Alternatives.of("F2").apiserverDown(0, "m2").at(1);
        RemedyAssignment m1Later = Alternatives.of("F3").apiserverDown(0, "m1").at(2);
        verifier.verifyThat(RemedyConstraintProvider::apiserverAvailability)
                .given(LIMITS, m1, m2, m1Later)
                .penalizesBy(1);
    }

    @Test
    void disruptionBudget() {
        Budget web = new Budget("shop/web", 1);
        RemedyAssignment n1 = Alternatives.of("F1").evicts(1, web, 1).actions(2).at(1);
        RemedyAssignment n2 = Alternatives.of("F2").evicts(0, web, 1).at(2);
        RemedyAssignment n3 = Alternatives.of("F3").evicts(0, web, 1).at(3);
        verifier.verifyThat(RemedyConstraintProvider::disruptionBudget)
                .given(n1, n2, n3)
                .penalizesBy(1);
    }

    @Test
    void blastRadius() {
        List<RemedyAssignment> nodes = List.of(
                Alternatives.of("F1").nodeDown(0, load("n1")).at(1),
                Alternatives.of("F2").nodeDown(0, load("n2")).at(1),
                Alternatives.of("F3").nodeDown(0, load("n3")).at(1),
                Alternatives.of("F4").nodeDown(0, load("n4")).at(2));
        verifier.verifyThat(RemedyConstraintProvider::blastRadius)
                .given(LIMITS, nodes.get(0), nodes.get(1), nodes.get(2), nodes.get(3))
                .penalizesBy(1);
    }

    @Test
    void capacity() {
        NodeLoad big = new NodeLoad("big", 8_000, 100);
        NodeLoad small = new NodeLoad("small", 3_000, 100);
        verifier.verifyThat(RemedyConstraintProvider::capacity)
                .given(
                        LIMITS,
                        Alternatives.of("F1").nodeDown(0, big).at(1),
                        Alternatives.of("F2").nodeDown(0, small).at(1),
                        Alternatives.of("F3").nodeDown(0, small).at(2))
                .penalizesBy(1);
    }

    @Test
    void oneActionPerTarget() {
        verifier.verifyThat(RemedyConstraintProvider::oneActionPerTarget)
                .given(
                        Alternatives.of("F1")
                                .touches(0, "file m1:/etc/kubernetes/manifests/etcd.yaml")
                                .at(1),
                        Alternatives.of("F2")
                                .touches(0, "file m1:/etc/kubernetes/manifests/etcd.yaml")
                                .at(1),
                        Alternatives.of("F3")
                                .touches(0, "file m1:/etc/kubernetes/manifests/etcd.yaml")
                                .at(2))
                .penalizesBy(1);
    }

    @Test
    void resolveEveryFinding() {
        Alternative only = Alternatives.of("F1").build();
        verifier.verifyThat(RemedyConstraintProvider::resolveEveryFinding)
                .given(
                        new RemedyAssignment("F1", Severity.CRITICAL, List.of(only), null, 1),
                        new RemedyAssignment("F2", Severity.CRITICAL, List.of(only), only, 1))
                .penalizesBy(1);
    }

    @Test
    void fewerWaves() {
        verifier.verifyThat(RemedyConstraintProvider::fewerWaves)
                .given(
                        Alternatives.of("F1").actions(3).at(2),
                        Alternatives.of("F2").at(1))
                .penalizesBy(4);
    }

    @Test
    void leastInvasiveRemedy() {
        verifier.verifyThat(RemedyConstraintProvider::leastInvasiveRemedy)
                .given(
                        Alternatives.of("F1").remedy("remove-probe", Risk.HIGH).at(1),
                        Alternatives.of("F2").remedy("relax-probe", Risk.LOW).at(1))
                .penalizesBy(Risk.HIGH.weight() + Risk.LOW.weight());
    }

    @Test
    void fewerDisruptedPods() {
        verifier.verifyThat(RemedyConstraintProvider::fewerDisruptedPods)
                .given(
                        Alternatives.of("F1").disruptedPods(30).at(1),
                        Alternatives.of("F2").at(1))
                .penalizesBy(30);
    }

    @Test
    void criticalFindingsFirst() {
        verifier.verifyThat(RemedyConstraintProvider::criticalFindingsFirst)
                .given(
                        Alternatives.of("F1").at(3, Severity.CRITICAL),
                        Alternatives.of("F2").at(1, Severity.INFO))
                .penalizesBy(3 * 4 + 1);
    }

    private static NodeLoad load(String name) {
        return new NodeLoad(name, 1, 1);
    }
}
