package dev.remedy.facts.derived;

import java.util.ArrayList;
import java.util.List;

/**
 * Quorum arithmetic of an etcd cluster and the order of member changes that keeps a majority of voting members
 * healthy at every step. A member that was added but has not started yet votes and is not healthy: adding a
 * fourth voter to a cluster with one dead member (2 healthy of 4, quorum 3) loses quorum, which is how
 * Toolforge's 2-member cluster collapsed when a member was re-added by mistake. Learners (etcd 3.4+) do not
 * vote until promoted, so with learners a replacement can be added before the dead member is removed; without
 * them the dead member must go first.
 */
public final class EtcdQuorum {

    private EtcdQuorum() {}

    /** The voters that must agree: a strict majority. */
    public static int quorum(int voters) {
        return voters / 2 + 1;
    }

    /** How many more healthy voters may fail before the cluster loses quorum; negative once it has. */
    public static int faultTolerance(int voters, int healthy) {
        return healthy - quorum(voters);
    }

    /** One member change and the cluster as it stands while the change is in effect. */
    public record Change(String op, String member, int votersAfter, int healthyAfter, int quorumAfter) {

        public int toleranceAfter() {
            return healthyAfter - quorumAfter;
        }
    }

    /**
     * The member changes, one at a time, that bring the cluster to an odd number of at least three voters
     * (and back to its size, rounded up to odd, when dead members are replaced), with no step leaving fewer than
     * a quorum healthy. For an add, the state recorded is the one while the new member is still joining (with a
     * learner, the state after its promotion, since a learner does not vote). Empty when quorum is already lost:
     * no member change is accepted then, and only a restore from a snapshot helps.
     */
    public static List<Change> safeChanges(int voters, List<String> unhealthy, boolean learners) {
        int healthy = voters - unhealthy.size();
        List<Change> changes = new ArrayList<>();
        if (healthy < quorum(voters)) {
            return changes;
        }
        int target = Math.max(3, voters % 2 == 0 ? voters + 1 : voters);
        List<String> dead = unhealthy.stream().sorted().toList();
        int adds = target - (voters - dead.size());
        int current = voters;
        int well = healthy;
        if (!learners) {
            for (String member : dead) {
                current--;
                changes.add(new Change("remove", member, current, well, quorum(current)));
            }
        }
        for (int i = 1; i <= adds; i++) {
            if (learners) {
                current++;
                well++;
                changes.add(new Change("add-learner-and-promote", "new member " + i, current, well, quorum(current)));
            } else {
                current++;
                if (well < quorum(current)) {
                    return List.of();
                }
                changes.add(new Change("add", "new member " + i, current, well, quorum(current)));
                well++;
            }
        }
        if (learners) {
            for (String member : dead) {
                current--;
                changes.add(new Change("remove", member, current, well, quorum(current)));
            }
        }
        return changes;
    }
}
