package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Quorum arithmetic, and member changes that never leave fewer than a quorum healthy. */
class EtcdQuorumTest {

    @Test
    void twoMembersTolerateNoFailureAndThreeTolerateOne() {
        assertThat(EtcdQuorum.quorum(2)).isEqualTo(2);
        assertThat(EtcdQuorum.faultTolerance(2, 2)).isZero();
        assertThat(EtcdQuorum.faultTolerance(3, 3)).isEqualTo(1);
        assertThat(EtcdQuorum.faultTolerance(4, 4)).isEqualTo(1);
        assertThat(EtcdQuorum.faultTolerance(3, 1)).isNegative();
    }

    @Test
    void aHealthyTwoMemberClusterGetsAThirdMemberAndNothingIsRemoved() {
        List<EtcdQuorum.Change> changes = EtcdQuorum.safeChanges(2, List.of(), false);

        assertThat(changes).containsExactly(new EtcdQuorum.Change("add", "new member 1", 3, 2, 2));
    }

    @Test
    void withoutLearnersTheDeadMemberGoesBeforeItsReplacementComes() {
        List<EtcdQuorum.Change> changes = EtcdQuorum.safeChanges(3, List.of("etcd-b"), false);

        assertThat(changes).extracting(EtcdQuorum.Change::op).containsExactly("remove", "add");
        assertThat(changes).allSatisfy(c -> assertThat(c.healthyAfter()).isGreaterThanOrEqualTo(c.quorumAfter()));
    }

    @Test
    void withLearnersTheReplacementIsAddedBeforeTheDeadMemberIsRemoved() {
        List<EtcdQuorum.Change> changes = EtcdQuorum.safeChanges(3, List.of("etcd-b"), true);

        assertThat(changes).extracting(EtcdQuorum.Change::op).containsExactly("add-learner-and-promote", "remove");
        assertThat(changes).allSatisfy(c -> assertThat(c.healthyAfter()).isGreaterThanOrEqualTo(c.quorumAfter()));
    }

    @Test
    void addingToASingleMemberWithoutLearnersWouldLoseQuorumSoNoChangeIsOffered() {
        assertThat(EtcdQuorum.safeChanges(1, List.of(), false)).isEmpty();
    }

    @Test
    void aClusterThatLostQuorumGetsNoMemberChanges() {
        assertThat(EtcdQuorum.safeChanges(2, List.of("etcd-b"), false)).isEmpty();
        assertThat(EtcdQuorum.safeChanges(3, List.of("etcd-b", "etcd-c"), true)).isEmpty();
    }

    @Test
    void fiveMembersWithTwoDeadAreReplacedOneAtATimeKeepingAMajority() {
        List<EtcdQuorum.Change> changes = EtcdQuorum.safeChanges(5, List.of("etcd-d", "etcd-e"), false);

        assertThat(changes).extracting(EtcdQuorum.Change::op).containsExactly("remove", "remove", "add", "add");
        assertThat(changes).allSatisfy(c -> assertThat(c.healthyAfter()).isGreaterThanOrEqualTo(c.quorumAfter()));
        assertThat(changes.get(changes.size() - 1).votersAfter()).isEqualTo(5);
    }
}
