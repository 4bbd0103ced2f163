package dev.remedy.facts.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.NodeFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-pod script, run with sh against a temporary directory laid out like a host's root. */
class NodeFactsScriptTest {

    @TempDir
    Path host;

    @Test
    void readsCniManifestsCertificatesKubeletConfigAndLogsButNoKey() throws Exception {
        write("etc/cni/net.d/10-flannel.conflist", "{\"name\": \"cbr0\"}\n");
        write("etc/kubernetes/manifests/etcd.yaml", "apiVersion: v1\nkind: Pod\n");
        write("etc/kubernetes/pki/ca.crt", "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
        write("etc/kubernetes/pki/ca.key", "key bytes");
        write("etc/kubernetes/pki/etcd/server.crt", "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n");
        write("etc/kubernetes/pki/etcd/server.key", "key bytes");
        write("etc/kubernetes/pki/front-proxy-client.pem", "-----BEGIN EC PRIVATE KEY-----\nMHc\n");
        write("var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\ncgroupDriver: systemd\n");
        write(
                "var/log/syslog",
                "Dec  4 23:00:01 cp1 kubelet[812]: Liveness probe for etcd failed\n"
                        + "Dec  4 23:00:02 cp1 kernel: [1234.5] EXT4-fs warning\n"
                        + "Dec  4 23:00:03 cp1 cron[1]: nothing\n");

        NodeFactsScript.Output output = NodeFactsScript.parse("cp1", run(host));

        assertThat(output.complete()).isTrue();
        NodeFacts facts = output.facts();
        assertThat(facts.files())
                .extracting(NodeFacts.HostFile::path)
                .containsExactly(
                        "/etc/cni/net.d/10-flannel.conflist",
                        "/etc/kubernetes/manifests/etcd.yaml",
                        "/etc/kubernetes/pki/ca.crt",
                        "/etc/kubernetes/pki/etcd/server.crt",
                        "/var/lib/kubelet/config.yaml");
        assertThat(facts.file("/var/lib/kubelet/config.yaml").orElseThrow().content())
                .isEqualTo("kind: KubeletConfiguration\ncgroupDriver: systemd\n");
        assertThat(facts.logs("kubelet"))
                .containsExactly("Dec  4 23:00:01 cp1 kubelet[812]: Liveness probe for etcd failed");
        assertThat(facts.logs("kernel")).containsExactly("Dec  4 23:00:02 cp1 kernel: [1234.5] EXT4-fs warning");
        assertThat(output.missing()).isEmpty();
    }

    @Test
    void saysWhatIsMissingOnABareHost() throws Exception {
        Files.createDirectories(host.resolve("etc"));

        NodeFactsScript.Output output = NodeFactsScript.parse("w1", run(host));

        assertThat(output.complete()).isTrue();
        assertThat(output.facts().files()).isEmpty();
        assertThat(output.missing())
                .contains(
                        "/etc/cni/net.d no such directory",
                        "/var/lib/kubelet/config.yaml no such file",
                        "log:kubelet no text log file (a journald-only host needs journalctl, which this pod does"
                                + " not run)");
    }

    private void write(String relative, String content) throws IOException {
        Path file = host.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String run(Path root) throws Exception {
        Path script = root.getParent().resolve(root.getFileName() + "-node-facts.sh");
        Files.writeString(script, NodeFactsScript.text());
        Process process = new ProcessBuilder("sh", script.toString(), root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return out;
    }
}
