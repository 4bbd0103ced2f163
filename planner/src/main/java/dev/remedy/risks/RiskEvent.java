package dev.remedy.risks;

/**
 * One failure event and its direct effect on the model: nodes lost (their pods die), nodes drained (their
 * pods are evicted through the eviction API, which honours PDBs), static pods killed, etcd members down.
 * Arrays hold positions in the {@link ClusterModel} the event was made for.
 */
public record RiskEvent(
        String id,
        EventType type,
        String subject,
        Likelihood likelihood,
        String description,
        int[] lostNodes,
        int[] drainedNodes,
        int[] downPods,
        int[] downMembers) {

    /** Every node position the event takes out of service, lost or drained. */
    int[] touchedNodes() {
        if (drainedNodes.length == 0) {
            return lostNodes;
        }
        if (lostNodes.length == 0) {
            return drainedNodes;
        }
        int[] all = java.util.Arrays.copyOf(lostNodes, lostNodes.length + drainedNodes.length);
        System.arraycopy(drainedNodes, 0, all, lostNodes.length, drainedNodes.length);
        return all;
    }
}
