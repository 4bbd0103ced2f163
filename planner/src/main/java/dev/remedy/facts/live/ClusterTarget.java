package dev.remedy.facts.live;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Which cluster to read and how, as kubectl's global flags say it: an explicit kubeconfig (else
 * {@code KUBECONFIG}, its files merged, else {@code ~/.kube/config}, else the pod's service account), a context
 * (else the current one), a namespace (else the context's), all namespaces, and a per-request timeout.
 */
public record ClusterTarget(
        Optional<Path> kubeconfig,
        Optional<String> context,
        Optional<String> namespace,
        boolean allNamespaces,
        Optional<Duration> requestTimeout) {

    public static ClusterTarget currentContext() {
        return new ClusterTarget(Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty());
    }
}
