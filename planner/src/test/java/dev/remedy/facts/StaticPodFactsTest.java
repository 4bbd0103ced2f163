package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the planner concludes about static pods' probes, from the NRE Labs snapshots. */
class StaticPodFactsTest {

    private static Map<String, Object> etcd(Path snapshot) {
        Snapshot facts = new SnapshotReader().read(snapshot, "snapshot");
        return DerivedFacts.derive(facts, Instant.parse("2018-12-04T23:10:00Z")).collection("staticPods").stream()
                .filter(p -> "etcd".equals(p.get("component")))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> probe(Map<String, Object> pod) {
        return (Map<String, Object>) pod.get("probe");
    }

    @Test
    void anOldKubeletCutsAnEtcdctlProbeAtEtcdctlsOwnFiveSecondsNotAtTimeoutSeconds() {
        Map<String, Object> etcd = etcd(RepoPaths.plans().resolve("nre-labs-2018/snapshot"));

        assertThat(probe(etcd))
                .containsEntry("source", "manifest")
                .containsEntry("timeoutSeconds", 15)
                .containsEntry("timeoutEnforced", false)
                .containsEntry("commandTimeoutSeconds", 5)
                .containsEntry("effectiveTimeoutSeconds", 5)
                .containsEntry("killWindowSeconds", 80)
                .containsEntry("firstKillAfterSeconds", 95);
        assertThat(etcd).containsEntry("lastRunSeconds", 92L).containsEntry("measuredLatencyMs", 16200.0);
        assertThat(etcd.get("manifest").toString()).contains("path=/etc/kubernetes/manifests/etcd.yaml");
        assertThat((List<String>) etcd.get("restartingInStep"))
                .containsExactly("kube-apiserver-antidote-controller-4m3j (183)");
    }

    @Test
    void theRelaxedProbeToleratesTheMeasuredLatency() {
        Map<String, Object> etcd = etcd(RepoPaths.testResource("snapshots/nre-labs-probe-relaxed"));

        assertThat(probe(etcd))
                .containsEntry("commandTimeoutSeconds", 33)
                .containsEntry("effectiveTimeoutSeconds", 33)
                .containsEntry("killWindowSeconds", 264);
    }

    @Test
    void anHttpGetProbeIsCutAtTimeoutSeconds() {
        Map<String, Object> etcd = etcd(RepoPaths.testResource("snapshots/kubeadm-1.16-httpget-probe"));

        assertThat(probe(etcd))
                .containsEntry("type", "httpGet")
                .containsEntry("httpPath", "/health")
                .containsEntry("timeoutEnforced", true)
                .doesNotContainKey("commandTimeoutSeconds");
    }
}
