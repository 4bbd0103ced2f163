package dev.remedy.risks;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * A pod as the simulator sees it. {@code workload} is the key of its controller (a Deployment rather than its
 * ReplicaSet), or of the pod itself when nothing recreates it. {@code component} names a control-plane static
 * pod ({@code etcd}, {@code kube-apiserver}, ...).
 */
record ModelPod(
        String namespace,
        String name,
        String node,
        long cpuMillis,
        long memoryBytes,
        Map<String, String> labels,
        List<Toleration> tolerations,
        Map<String, String> nodeSelector,
        NodeSelector requiredNodeAffinity,
        List<AntiAffinityTerm> antiAffinity,
        String workload,
        boolean daemon,
        boolean mirror,
        boolean recreated,
        boolean ready,
        boolean localStorage,
        String component) {

    /** A required pod anti-affinity term: no pod matching {@code selector} in the same topology domain. */
    record AntiAffinityTerm(String topologyKey, LabelSelection selector) {}
}
