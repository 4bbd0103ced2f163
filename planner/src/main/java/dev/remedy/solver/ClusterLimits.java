package dev.remedy.solver;

/**
 * The cluster-wide numbers every wave is held to: the blast radius, the etcd cluster's size and health, how
 * many kube-apiserver instances run, and the spare capacity (requests free on all nodes) displaced pods need.
 */
public record ClusterLimits(
        int maxUnavailableNodes,
        int etcdMembers,
        int etcdHealthy,
        int apiserverInstances,
        long freeCpuMillis,
        long freeMemoryBytes) {

    /**
     * How many members short of a majority a wave leaves etcd when it takes {@code lost} healthy members down
     * and changes the membership by {@code sizeChange}; 0 when quorum holds. A one-member cluster has no
     * quorum to keep, so restarting its member is allowed (it is the only way to repair it).
     */
    public int etcdQuorumDeficit(long lost, long sizeChange) {
        if (lost == 0 && sizeChange <= 0) {
            return 0;
        }
        if (etcdMembers <= 1 && sizeChange == 0) {
            return 0;
        }
        long size = etcdMembers + sizeChange;
        long majority = size / 2 + 1;
        return (int) Math.max(0, majority - (etcdHealthy - lost));
    }

    /**
     * How many kube-apiserver restarts in one wave are too many: a replicated control plane restarts them one
     * at a time, as a rolling change does, so the API never loses more than one instance. A single instance
     * cannot be kept up while it is edited, and is exempt.
     */
    public long apiserversOverOne(long disrupted) {
        return apiserverInstances > 1 ? Math.max(0, disrupted - 1) : 0;
    }
}
