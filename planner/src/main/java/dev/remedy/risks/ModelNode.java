package dev.remedy.risks;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;

/** A node as the simulator sees it: allocatable requests, zone, labels, taints, and its role. */
record ModelNode(
        String name,
        String zone,
        long cpuMillis,
        long memoryBytes,
        int pods,
        Map<String, String> labels,
        List<Taint> taints,
        boolean unschedulable,
        boolean controlPlane,
        boolean scaleDownDisabled,
        String resourceVersion) {

    static final String ZONE = "topology.kubernetes.io/zone";
    static final String BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
}
