package dev.remedy.plan.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.RepoPaths;
import dev.remedy.facts.SnapshotReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeFileEditorTest {

    private static final String ETCD = new SnapshotReader()
            .read(RepoPaths.plans().resolve("nre-labs-2018/snapshot"), "nre")
            .nodeFacts("antidote-controller-4m3j")
            .orElseThrow()
            .file("/etc/kubernetes/manifests/etcd.yaml")
            .orElseThrow()
            .content();
    private static final String PROBE = "spec.containers[name=etcd].livenessProbe";

    private static Map<String, Object> edit(String op, String path, Object to) {
        return to == null ? Map.of("op", op, "path", path) : Map.of("op", op, "path", path, "to", to);
    }

    @Test
    void setChangesOnlyTheEditedLine() {
        String result = NodeFileEditor.apply(ETCD, List.of(edit("set", PROBE + ".timeoutSeconds", 33)));

        assertThat(FileDiff.unified("/etc/kubernetes/manifests/etcd.yaml", ETCD, result))
                .isEqualTo("""
                --- a/etc/kubernetes/manifests/etcd.yaml
                +++ b/etc/kubernetes/manifests/etcd.yaml
                @@ -41,7 +41,7 @@
                           get foo
                       failureThreshold: 8
                       initialDelaySeconds: 15
                -      timeoutSeconds: 15
                +      timeoutSeconds: 33
                     name: etcd
                     resources: {}
                     volumeMounts:
                """);
    }

    @Test
    void setCreatesAMissingKeyBesideItsSiblings() {
        String result = NodeFileEditor.apply(ETCD, List.of(edit("set", PROBE + ".periodSeconds", 33)));

        assertThat(result).contains("      timeoutSeconds: 15\n      periodSeconds: 33\n    name: etcd\n");
    }

    @Test
    void setReplacesAMultiLinePlainScalarWithOneQuotedLine() {
        String command = "ETCDCTL_API=3 etcdctl --command-timeout=33s --endpoints=https://[127.0.0.1]:2379 get foo";

        String result = NodeFileEditor.apply(ETCD, List.of(edit("set", PROBE + ".exec.command[2]", command)));

        assertThat(result).contains("        - -ec\n        - " + command + "\n      failureThreshold: 8\n");
    }

    @Test
    void setReplacesAWholeBlockWithABlock() {
        Map<String, Object> probe = Map.of("httpGet", Map.of("path", "/health", "port", 2381));

        String result = NodeFileEditor.apply(ETCD, List.of(edit("set", PROBE, probe)));

        assertThat(result)
                .contains("    livenessProbe:\n      httpGet:\n")
                .doesNotContain("etcdctl", "failureThreshold");
    }

    @Test
    void removeTakesTheWholeBlockOut() {
        String result = NodeFileEditor.apply(ETCD, List.of(edit("remove", PROBE, null)));

        assertThat(result)
                .doesNotContain("livenessProbe", "etcdctl")
                .contains(
                        "    image: k8s.gcr.io/etcd:3.2.24\n" + "    imagePullPolicy: IfNotPresent\n    name: etcd\n");
    }

    @Test
    void addAppendsToAListWithItsIndentation() {
        String result = NodeFileEditor.apply(
                ETCD,
                List.of(edit(
                        "add",
                        "spec.containers[name=etcd].command[-]",
                        "--listen-metrics-urls=http://127.0.0.1:2381")));

        assertThat(result)
                .contains("    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n"
                        + "    - --listen-metrics-urls=http://127.0.0.1:2381\n    image:");
    }

    @Test
    void stringsThatWouldReadBackAsOtherTypesAreQuoted() {
        assertThat(NodeFileEditor.scalar("true")).isEqualTo("\"true\"");
        assertThat(NodeFileEditor.scalar("15")).isEqualTo("\"15\"");
        assertThat(NodeFileEditor.scalar("a: b")).isEqualTo("\"a: b\"");
        assertThat(NodeFileEditor.scalar("100Mi")).isEqualTo("100Mi");
        assertThat(NodeFileEditor.scalar(15)).isEqualTo("15");
        assertThat(NodeFileEditor.scalar("--flag=x")).isEqualTo("--flag=x");
        assertThat(NodeFileEditor.scalar("- x")).isEqualTo("\"- x\"");
    }

    @Test
    void aPathThatIsNotThereSaysTheFileChanged() {
        assertThatThrownBy(() ->
                        NodeFileEditor.apply(ETCD, List.of(edit("set", "spec.containers[name=etcd2].image", "x"))))
                .isInstanceOf(EditException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("Maybe the file changed since the plan was made");
    }

    @Test
    void flowStyleIsRefusedRatherThanRewritten() {
        assertThatThrownBy(() -> NodeFileEditor.apply("spec: {a: 1}\n", List.of(edit("set", "spec.b", 2))))
                .hasMessageContaining("flow style");
    }
}
