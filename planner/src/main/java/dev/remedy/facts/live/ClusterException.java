package dev.remedy.facts.live;

/**
 * The cluster cannot be read at all: no usable kubeconfig, an unknown context, an API server that does not
 * answer. Parts that cannot be read are not exceptions but {@code SnapshotInfo} problems.
 */
public class ClusterException extends RuntimeException {

    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
