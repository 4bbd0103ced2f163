package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of several manifests of one component is kept: the one the running mirror pod matches. */
class ControlPlaneManifestFactsTest {

    private static final String MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";

    /** The kubeadm 1.11 fixture with a byte-for-byte {@code .bak} copy of k8s-cp-2's kube-apiserver manifest. */
    private static Snapshot withBackupCopy() {
        Snapshot snapshot = new SnapshotReader()
                .read(RepoPaths.testResource("scenarios/apiserver-etcd-ca-mismatch/snapshot"), "snapshot");
        List<NodeFacts> facts = new ArrayList<>();
        for (NodeFacts node : snapshot.nodeFacts().values()) {
            List<NodeFacts.HostFile> files = new ArrayList<>(node.files());
            if (node.nodeName().equals("k8s-cp-2")) {
                files.add(new NodeFacts.HostFile(
                        MANIFEST + ".bak", node.file(MANIFEST).orElseThrow().content()));
            }
            facts.add(
                    new NodeFacts(node.apiVersion(), node.kind(), node.metadata(), files, node.kubelet(), node.logs()));
        }
        return new Snapshot(
                "snapshot",
                snapshot.fingerprint(),
                snapshot.objects(),
                facts,
                snapshot.etcd(),
                snapshot.info(),
                snapshot.notes());
    }

    @SuppressWarnings("unchecked")
    @Test
    void anIdenticalBakCopyIsADuplicateAndTheYamlNamedAfterThePodIsKept() {
        Map<String, Object> apiserver = DerivedFacts.derive(withBackupCopy(), Instant.parse("2018-09-20T10:00:00Z"))
                .collection("controlPlaneManifests")
                .stream()
                .filter(m ->
                        m.get("node").equals("k8s-cp-2") && m.get("component").equals("kube-apiserver"))
                .findFirst()
                .orElseThrow();

        assertThat(apiserver).containsEntry("count", 2);
        assertThat((Map<String, Object>) apiserver.get("keep")).containsEntry("path", MANIFEST);
        List<Map<String, Object>> duplicates = (List<Map<String, Object>>) apiserver.get("duplicates");
        assertThat(duplicates).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("path", MANIFEST + ".bak");
            assertThat(d).containsEntry("moveTo", "/etc/kubernetes/manifests.disabled/kube-apiserver.yaml.bak");
            assertThat((List<String>) d.get("differences")).isEmpty();
        });
    }

    @Test
    void aComponentWithOneManifestHasNoDuplicates() {
        assertThat(DerivedFacts.derive(withBackupCopy(), Instant.parse("2018-09-20T10:00:00Z"))
                        .collection("controlPlaneManifests"))
                .filteredOn(m ->
                        !(m.get("node").equals("k8s-cp-2") && m.get("component").equals("kube-apiserver")))
                .allSatisfy(m -> assertThat(m).containsEntry("count", 1));
    }
}
