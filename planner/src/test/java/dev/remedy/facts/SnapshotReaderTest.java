package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.remedy.RepoPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotReaderTest {

    @TempDir
    Path dir;

    private Snapshot read() {
        return new SnapshotReader().read(dir, "snap");
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void readsListsMultiDocumentFilesAndJsonRecursively() throws IOException {
        write("a/nodes.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Node
                  metadata: {name: n1}
                - apiVersion: v1
                  kind: Node
                  metadata: {name: n2}
                """);
        write("b/pods.yml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p1, namespace: default}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p2, namespace: default}
                """);
        write("c/pods.json", """
                {"apiVersion": "v1", "kind": "PodList", "items": [
                  {"metadata": {"name": "p3", "namespace": "kube-system"}}]}
                """);
        write("notes.txt", "not read");

        Snapshot snapshot = read();

        assertThat(snapshot.nodes()).extracting(n -> n.getMetadata().getName()).containsExactly("n1", "n2");
        assertThat(snapshot.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("p1", "p2", "p3");
        assertThat(snapshot.pods().get(2)).isInstanceOf(Pod.class);
        assertThat(snapshot.partial()).isFalse();
    }

    @Test
    void readsTheSnapshotsOwnKinds() throws IOException {
        write("facts.yaml", """
                apiVersion: remedy.dev/v1alpha1
                kind: NodeFacts
                metadata: {name: n1}
                files:
                - path: /etc/cni/net.d/10-calico.conflist
                  content: '{}'
                kubelet:
                  version: v1.12.1
                  flags: ["--kube-reserved=cpu=100m"]
                  config: {evictionHard: {memory.available: 100Mi}}
                logs:
                  kubelet: ["line one"]
                ---
                apiVersion: remedy.dev/v1alpha1
                kind: EtcdFacts
                metadata: {name: etcd}
                members:
                - name: n1
                  clientURL: https://10.0.0.2:2379
                  healthy: true
                  leader: true
                  version: 3.2.24
                  readLatencyMs: 16200
                  walFsyncP99Ms: 12
                ---
                apiVersion: remedy.dev/v1alpha1
                kind: SnapshotInfo
                metadata: {name: snapshot}
                collectedAt: "2018-12-04T23:10:00Z"
                problems:
                - {what: events, reason: forbidden}
                """);

        Snapshot snapshot = read();

        NodeFacts facts = snapshot.nodeFacts("n1").orElseThrow();
        assertThat(facts.filesIn("/etc/cni/net.d"))
                .extracting(NodeFacts.HostFile::name)
                .containsExactly("10-calico.conflist");
        assertThat(facts.kubelet().version()).isEqualTo("v1.12.1");
        assertThat(facts.logs("kubelet")).containsExactly("line one");
        EtcdFacts.Member member = snapshot.etcd().orElseThrow().members().get(0);
        assertThat(member.readLatencyMs()).isEqualTo(16200.0);
        assertThat(member.clientHost()).isEqualTo("10.0.0.2");
        assertThat(snapshot.info().orElseThrow().collectedAt()).isEqualTo("2018-12-04T23:10:00Z");
        assertThat(snapshot.partial())
                .as("a problem in SnapshotInfo makes the facts partial")
                .isTrue();
    }

    @Test
    void keepsUnknownKindsAsGenericObjects() throws IOException {
        write("crd.yaml", """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                spec: {size: 3}
                """);

        assertThat(read().objects()).singleElement().isInstanceOf(GenericKubernetesResource.class);
    }

    @Test
    void splitsListsConcatenatedWithoutSeparatorInsteadOfDroppingTheFirst() throws IOException {
        write("dump.yaml", """
                apiVersion: v1
                items:
                - {apiVersion: v1, kind: Node, metadata: {name: n1}}
                kind: List
                apiVersion: v1
                items:
                - {apiVersion: v1, kind: Node, metadata: {name: n2}}
                kind: List
                """);

        Snapshot snapshot = read();

        assertThat(snapshot.all(Node.class)).hasSize(2);
        assertThat(snapshot.notes()).singleElement().satisfies(note -> {
            assertThat(note.line()).isEqualTo(5);
            assertThat(note.reason()).startsWith("repaired");
        });
        assertThat(snapshot.partial()).as("nothing was lost").isFalse();
    }

    @Test
    void notesDocumentsThatAreNotObjectsAndCallsTheReadPartial() throws IOException {
        write("analysis.json", "[{\"name\": \"x\"}]");
        write("version.yaml", "major: 1\n");

        Snapshot snapshot = read();

        assertThat(snapshot.notes())
                .extracting(ReadNote::toString)
                .containsExactly(
                        "snap/analysis.json:1: skipped: a sequence, not a Kubernetes object (expected a mapping with"
                                + " apiVersion and kind)",
                        "snap/version.yaml:1: skipped: an object without kind");
        assertThat(snapshot.partial()).isTrue();
    }

    @Test
    void readsThePodsAndNodesOfAnOpenShiftInsightsArchiveByWhereTheArchiveKeepsThem() throws IOException {
        write("archive/config/node/n1.json", """
                {"metadata": {"name": "n1", "selfLink": "/api/v1/nodes/n1"}, "status": {"nodeInfo": {}}}""");
        write("archive/config/pod/shop/web-1.json", """
                {"metadata": {"name": "web-1", "namespace": "shop"}, "spec": {"containers": []}}""");
        write("archive/conditional/namespaces/shop/pods/web-2/web-2.json", """
                {"metadata": {"name": "web-2", "namespace": "shop"}, "spec": {"containers": []}}""");
        write("archive/config/pod/shop/renamed.json", """
                {"metadata": {"name": "web-3", "namespace": "shop"}}""");
        write("archive/config/pod/other/web-4.json", """
                {"metadata": {"name": "web-4", "namespace": "shop"}}""");
        write("archive/config/node/n2.json", """
                {"metadata": {"name": "n2", "selfLink": "/apis/example.io/v1/widgets/n2"}}""");
        write("archive/config/featuregate.json", """
                {"metadata": {"name": "cluster"}, "spec": {}}""");

        Snapshot snapshot = read();

        assertThat(snapshot.nodes()).extracting(n -> n.getMetadata().getName()).containsExactly("n1");
        assertThat(snapshot.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("web-2", "web-1");
        assertThat(snapshot.notes())
                .extracting(ReadNote::toString)
                .containsExactly(
                        "snap/archive/config/featuregate.json:1: skipped: an object without kind",
                        "snap/archive/config/node/n2.json:1: skipped: an object without kind",
                        "snap/archive/config/pod/other/web-4.json:1: skipped: an object without kind",
                        "snap/archive/config/pod/shop/renamed.json:1: skipped: an object without kind",
                        "snap:0: repaired: 1 object(s) without kind read as Node, as an OpenShift Insights archive"
                                + " writes them (config/node/<name>.json)",
                        "snap:0: repaired: 1 object(s) without kind read as Pod, as an OpenShift Insights archive"
                                + " writes them (conditional/namespaces/<namespace>/pods/<name>/<name>.json)",
                        "snap:0: repaired: 1 object(s) without kind read as Pod, as an OpenShift Insights archive"
                                + " writes them (config/pod/<namespace>/<name>.json)",
                        "snap:0: an OpenShift Insights archive holds only the pods its gatherers selected (failing,"
                                + " pending or restarting), not every pod: the load of each node and the pods behind"
                                + " each budget and Service are unknown");
        assertThat(snapshot.partial())
                .as("only some pods are in an Insights archive")
                .isTrue();
    }

    @Test
    void malformedYamlNamesTheFileAndTheLine() throws IOException {
        write("nodes.yaml", """
                apiVersion: v1
                kind: Node
                metadata:
                  name: n1
                 labels: {a: b}
                """);

        assertThatThrownBy(this::read)
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("The snapshot file (snap/nodes.yaml) line 5")
                .hasMessageContaining("malformed YAML")
                .hasMessageContaining("Maybe")
                .hasMessageNotContaining("\n");
    }

    @Test
    void malformedJsonNamesTheFileAndTheLine() throws IOException {
        write("pods.json", "{\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"p\"\n}\n");

        assertThatThrownBy(this::read)
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("The snapshot file (snap/pods.json) line 5")
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void anUnknownFieldInNodeFactsNamesItsLine() throws IOException {
        write("facts.yaml", """
                apiVersion: remedy.dev/v1alpha1
                kind: NodeFacts
                metadata:
                  name: n1
                files:
                - path: /etc/kubernetes/manifests/etcd.yaml
                  contents: oops
                """);

        assertThatThrownBy(this::read)
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("The snapshot file (snap/facts.yaml) line 7: the NodeFacts has an unknown"
                        + " field (files.0.contents)");
    }

    @Test
    void ownKindsNeedAName() throws IOException {
        write("etcd.yaml", "apiVersion: remedy.dev/v1alpha1\nkind: EtcdFacts\nmembers: []\n");

        assertThatThrownBy(this::read)
                .hasMessage("The snapshot file (snap/etcd.yaml) line 1: the EtcdFacts has no"
                        + " metadata.name. Maybe add the name under metadata.");
    }

    @Test
    void aMisspelledOwnKindIsAnErrorNotSilence() throws IOException {
        write("facts.yaml", "apiVersion: remedy.dev/v1alpha1\nkind: Nodefacts\nmetadata: {name: n1}\n");

        assertThatThrownBy(this::read)
                .hasMessageContaining("unknown kind (Nodefacts)")
                .hasMessageEndingWith("Maybe one of NodeFacts, EtcdFacts, SnapshotInfo.");
    }

    @Test
    void aWrongTypeInAKubernetesObjectNamesItsLine() throws IOException {
        write("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: "not a list"
                """);

        assertThatThrownBy(this::read)
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("The snapshot file (snap/pod.yaml) line 5: the Pod does not match its schema");
    }

    @Test
    void readsTheItemsOfAListWhoseKindComesAfterThem() throws IOException {
        // kubectl writes "kind" after "items"; a PodList from the API leaves the kind out of its items.
        write("all.json", """
                {"apiVersion": "v1", "items": [
                  {"kind": "Node", "apiVersion": "v1", "metadata": {"name": "n1"}},
                  {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 3}},
                  "stray",
                  {"apiVersion": "v1", "kind": "ConfigMapList", "items": [{"metadata": {"name": "c"}}]}
                ], "kind": "List"}
                """);
        write("pods.json", """
                {"items": [{"apiVersion": "v0", "metadata": {"name": "p1"}}], "kind": "PodList", "apiVersion": "v1"}
                """);

        Snapshot snapshot = read();

        assertThat(snapshot.objects())
                .extracting(o -> o.getKind() + "/" + o.getApiVersion() + "/"
                        + o.getMetadata().getName())
                .containsExactly("Node/v1/n1", "Widget/example.com/v1/w", "ConfigMap/v1/c", "Pod/v1/p1");
        assertThat(snapshot.objects().get(1)).isInstanceOf(GenericKubernetesResource.class);
        assertThat(snapshot.notes())
                .extracting(ReadNote::toString)
                .containsExactly("snap/all.json:1: skipped: a string, not a Kubernetes object (expected a mapping"
                        + " with apiVersion and kind)");
    }

    @Test
    void readsListItemsThatHoldNothingButTheirKind() throws IOException {
        write("bare.json", """
                {"kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Pod"},
                  {"apiVersion": "example.com/v1", "kind": "Widget"},
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}]}
                """);

        assertThat(read().objects())
                .extracting(o -> o.getKind() + "/" + o.getApiVersion())
                .containsExactly("Pod/v1", "Widget/example.com/v1", "Pod/v1");
    }

    @Test
    void readsADocumentWithItemsThatIsNotAListAsOneObject() throws IOException {
        write("widget.yaml", """
                apiVersion: example.com/v1
                items:
                - {apiVersion: v1, kind: Pod, metadata: {name: not-a-pod}}
                kind: WidgetSet
                metadata: {name: set}
                """);

        assertThat(read().objects()).singleElement().satisfies(o -> {
            assertThat(o).isInstanceOf(GenericKubernetesResource.class);
            assertThat(o.getMetadata().getName()).isEqualTo("set");
            assertThat(((GenericKubernetesResource) o).getAdditionalProperties())
                    .containsKey("items");
        });
    }

    @Test
    void aWrongTypeInAListItemNamesTheItemsLine() throws IOException {
        write("pods.yaml", """
                apiVersion: v1
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: good}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: bad}
                  spec:
                    containers: "not a list"
                kind: List
                """);

        assertThatThrownBy(this::read)
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("The snapshot file (snap/pods.yaml) line 10: the Pod does not match its schema")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aKeyTwiceInAListItemIsMalformedNotSilentlyOverwritten() throws IOException {
        write("pods.json", """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                   "spec": {"nodeName": "n1", "nodeName": "n2"}}]}
                """);

        assertThatThrownBy(this::read)
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("The snapshot file (snap/pods.json) line 3")
                .hasMessageContaining("malformed JSON: Duplicate field 'nodeName'");
    }

    @Test
    void aKeyTwiceInAYamlListItemIsMalformedNotSilentlyOverwritten() throws IOException {
        write("pods.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: p}
                  spec:
                    nodeName: n1
                    nodeName: n2
                """);

        assertThatThrownBy(this::read)
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("The snapshot file (snap/pods.yaml) line 9")
                .hasMessageContaining("malformed YAML: Duplicate field 'nodeName'");
    }

    @Test
    void aKeyTwiceAmongManyLabelsIsMalformed() throws IOException {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            labels.append("\"l").append(i).append("\": \"v\", ");
        }
        write(
                "pods.json",
                "{\"kind\": \"List\", \"items\": [{\"kind\": \"Pod\", \"metadata\": {\"labels\": {" + labels
                        + "\"l33\": \"again\"}}}]}");

        assertThatThrownBy(this::read).hasMessageContaining("malformed JSON: Duplicate field 'l33'");
    }

    @Test
    void sharesTheRepeatedStringsOfAFileAmongItsObjects() throws IOException {
        write("pods.json", """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1", "namespace": "shop"},
                   "spec": {"nodeName": "n1"}},
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p2", "namespace": "shop"},
                   "spec": {"nodeName": "n1"}}]}
                """);

        List<Pod> pods = read().pods();

        assertThat(pods.get(1).getMetadata().getNamespace())
                .isSameAs(pods.get(0).getMetadata().getNamespace());
        assertThat(pods.get(1).getSpec().getNodeName())
                .isSameAs(pods.get(0).getSpec().getNodeName());
    }

    @Test
    void readsRepeatedQuantitiesAsFabric8DoesEachAsItsOwnObject() throws IOException {
        write("pods.json", """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1"}, "spec": {"containers": [
                    {"name": "c", "resources": {"requests": {"cpu": "250m", "memory": "1Gi"}}}]}},
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p2"}, "spec": {"containers": [
                    {"name": "c", "resources": {"requests": {"cpu": "250m", "memory": "1Gi"}}}]}}]}
                """);
        write("yaml-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p3}
                spec:
                  containers:
                  - name: c
                    resources: {requests: {cpu: 2, memory: 1Gi}}
                """);

        List<Pod> pods = read().pods();

        Quantity first = cpuRequest(pods.get(0));
        Quantity second = cpuRequest(pods.get(1));
        assertThat(first).isEqualTo(new Quantity("250m")).isNotSameAs(second);
        assertThat(second.getAmount()).isEqualTo("250").isSameAs(first.getAmount());
        assertThat(second.getFormat()).isEqualTo("m");
        assertThat(pods.get(2).getSpec().getContainers().get(0).getResources().getRequests())
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("1Gi"));
    }

    @Test
    void podsAndNodesOfAllFilesShareOneStringPerNodeName() throws IOException {
        write(
                "pods-a.json",
                "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": ["
                        + "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"},"
                        + " \"spec\": {\"nodeName\": \"worker-1\"}}]}");
        write("pods-b.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {nodeName: worker-1}\n");
        write("nodes.yaml", "apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\n");

        Snapshot snapshot = read();

        String nodeName = snapshot.nodes().get(0).getMetadata().getName();
        assertThat(snapshot.pods())
                .extracting(pod -> pod.getSpec().getNodeName())
                .allSatisfy(name -> assertThat(name).isSameAs(nodeName));
    }

    @Test
    void quantitiesReadFromListsShareTheEmptyAdditionalProperties() throws IOException {
        write(
                "pods.json",
                "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": ["
                        + "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\":"
                        + " {\"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"cpu\": \"250m\"}}}]}}]}");

        Quantity quantity = cpuRequest(read().pods().get(0));

        assertThat(quantity).isEqualTo(new Quantity("250m"));
        assertThat(quantity.getAdditionalProperties()).isSameAs(Collections.emptyMap());
    }

    @Test
    void podsWithTheSameLabelsInTheSameOrderShareOneUnmodifiableMap() throws IOException {
        write("pods.json", """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1", "labels": {"app": "a", "tier": "web"}}},
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p2", "labels": {"app": "a", "tier": "web"}}},
                  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p3", "labels": {"tier": "web", "app": "a"}}}]}
                """);

        List<Pod> pods = read().pods();

        Map<String, String> first = pods.get(0).getMetadata().getLabels();
        assertThat(pods.get(1).getMetadata().getLabels()).isSameAs(first);
        assertThat(pods.get(2).getMetadata().getLabels())
                .isNotSameAs(first)
                .containsExactly(Map.entry("tier", "web"), Map.entry("app", "a"));
        assertThatThrownBy(() -> first.put("app", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static Quantity cpuRequest(Pod pod) {
        return pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu");
    }

    @Test
    void aMissingPathSaysHowToMakeASnapshot() {
        assertThatThrownBy(() -> new SnapshotReader().read(dir.resolve("absent"), "absent"))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("kubectl remedy snapshot --output-dir");
    }

    @Test
    void theFingerprintDependsOnContentNotOnTheDisplayName() throws IOException {
        write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n");
        String first = new SnapshotReader().read(dir, "one").fingerprint();
        String second = new SnapshotReader().read(dir, "two").fingerprint();
        write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\n");

        assertThat(first).hasSize(64).isEqualTo(second);
        assertThat(new SnapshotReader().read(dir, "one").fingerprint()).isNotEqualTo(first);
    }

    @Test
    void manyFilesAreReadInPathOrderAndTheFirstBadOneInPathOrderIsReported() throws IOException {
        for (int i = 0; i < 40; i++) {
            write(
                    String.format("pods/%02d.yaml", i),
                    "apiVersion: v1\nkind: Pod\nmetadata: {name: p%02d}\n".formatted(i));
        }

        assertThat(read().pods())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 40)
                        .mapToObj(i -> String.format("p%02d", i))
                        .toList());

        write("pods/07.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n");
        write("pods/31.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: [y\n");
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThatThrownBy(this::read).hasMessageStartingWith("The snapshot file (snap/pods/07.yaml)");
        }
    }

    @Test
    void shorterFilesReadAfterLongerOnesKeepNoBytesOfThemAndFingerprintAsInMemory() throws IOException {
        // Files are read into arrays used again once a file is fingerprinted: long files first, then short ones
        // that land in the arrays of long ones.
        java.util.SortedMap<String, byte[]> files = new java.util.TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String labels = "x".repeat(i < 6 ? 4000 - i : 10 + i);
            String text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p%02d, labels: {a: %s}}\n".formatted(i, labels);
            write(String.format("pods/%02d.yaml", i), text);
            files.put(String.format("pods/%02d.yaml", i), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        Snapshot fromDisk = read();
        Snapshot inMemory = new SnapshotReader().read(files, "snap");

        assertThat(fromDisk.pods())
                .extracting(p -> p.getMetadata().getLabels().get("a").length())
                .containsExactly(4000, 3999, 3998, 3997, 3996, 3995, 16, 17, 18, 19, 20, 21);
        assertThat(fromDisk.notes()).isEmpty();
        assertThat(fromDisk.fingerprint()).isEqualTo(inMemory.fingerprint());
    }

    @Test
    void readsRealClusterDumpsFromTheCorpus() {
        Path corpus = RepoPaths.corpus();
        assumeTrue(Files.isDirectory(corpus), "../shared/corpus is absent (as on a user's machine): skipped");

        Snapshot kalc = new SnapshotReader().read(corpus.resolve("kalc/gke-tesg1-full-cluster.yaml"), "kalc");
        Snapshot k3d = new SnapshotReader().read(corpus.resolve("troubleshoot-support-bundle-k3d"), "k3d");
        Snapshot insights = new SnapshotReader()
                .read(corpus.resolve("openshift-insights-operator/insights-archive-sample"), "insights");

        assertThat(kalc.nodes()).hasSize(5);
        assertThat(kalc.pods()).hasSize(35);
        assertThat(insights.nodes()).hasSize(2);
        assertThat(insights.pods())
                .hasSize(36)
                .anyMatch(p -> p.getMetadata().getName().startsWith("etcd-master-0")
                        && p.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getRestartCount() > 0));
        assertThat(k3d.nodes()).hasSize(1);
        assertThat(k3d.pods()).isNotEmpty();
        assertThat(k3d.notes())
                .as("analysis.json and version.yaml are not objects")
                .extracting(ReadNote::file)
                .anyMatch(f -> f.endsWith("analysis.json"));
    }
}
