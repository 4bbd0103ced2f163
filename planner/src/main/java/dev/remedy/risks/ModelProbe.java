package dev.remedy.risks;

import java.util.List;
import java.util.Map;

/**
 * A static pod's liveness probe with its kill window and the latency measured for the component: the probe
 * kills a healthy component when one check takes longer than the probe waits. {@code edits} are the manifest
 * edits that relax it (from {@code staticPods.suggestedProbe}); {@code manifestPath}/{@code manifestSha256}
 * name the file they apply to.
 */
record ModelProbe(
        String pod,
        String namespace,
        String node,
        String component,
        int effectiveTimeoutSeconds,
        int killWindowSeconds,
        double measuredLatencyMs,
        String manifestPath,
        String manifestSha256,
        List<Map<String, Object>> edits,
        Map<String, Object> suggested) {

    /** Whether one check at the measured latency fails: then every check fails and the kill window decides. */
    boolean killsHealthyComponent() {
        return measuredLatencyMs >= effectiveTimeoutSeconds * 1000.0;
    }
}
