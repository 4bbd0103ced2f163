package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl";
    private static final String PRIVATE_KEY =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";

    private final SnapshotWriter writer = new SnapshotWriter();

    @Test
    void writesOneListPerKindAndNamespaceSortedByName() {
        SortedMap<String, byte[]> files = writer.files(content(List.of(
                pod("kube-system", "kube-apiserver-b"),
                pod("default", "web"),
                pod("kube-system", "etcd-a"),
                new NodeBuilder()
                        .withNewMetadata()
                        .withName("cp1")
                        .endMetadata()
                        .build())));

        assertThat(files.keySet())
                .containsExactly(
                        "cluster/nodes.yaml",
                        "namespaces/default/pods.yaml",
                        "namespaces/kube-system/pods.yaml",
                        "snapshot-info.yaml");
        String pods = text(files, "namespaces/kube-system/pods.yaml");
        assertThat(pods.indexOf("etcd-a")).isLessThan(pods.indexOf("kube-apiserver-b"));
        assertThat(pods).startsWith("apiVersion: v1\nitems:\n");
    }

    @Test
    void writesTheSameBytesWhateverTheInputOrder() {
        var a = pod("default", "a");
        var b = pod("default", "b");

        assertThat(text(writer.files(content(List.of(a, b))), "namespaces/default/pods.yaml"))
                .isEqualTo(text(writer.files(content(List.of(b, a))), "namespaces/default/pods.yaml"));
    }

    @Test
    void readsBackWhatItWroteWithTheSameFingerprintAsOnDisk(@TempDir Path dir) {
        var labelled = new PodBuilder(pod("default", "tricky"))
                .editMetadata()
                .withLabels(Map.of("version", "1.10", "enabled", "yes", "nothing", "null", "zip", "0123"))
                .endMetadata()
                .build();
        SortedMap<String, byte[]> files = writer.files(content(List.of(labelled)));
        writer.write(dir.resolve("snap"), files);

        Snapshot fromMemory = new SnapshotReader().read(files, "snap");
        Snapshot fromDisk = new SnapshotReader().read(dir.resolve("snap"), "snap");

        assertThat(fromDisk.fingerprint()).isEqualTo(fromMemory.fingerprint());
        assertThat(fromDisk.pods().get(0).getMetadata().getLabels())
                .containsEntry("version", "1.10")
                .containsEntry("enabled", "yes")
                .containsEntry("nothing", "null")
                .containsEntry("zip", "0123");
        assertThat(fromDisk.info()).map(SnapshotInfo::context).contains("test");
        assertThat(dir.resolve("snap")).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void refusesToWriteIntoADirectoryThatHoldsFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("old.yaml"), "kind: List\n");

        assertThatThrownBy(() -> writer.write(dir, writer.files(content(List.of()))))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("is not empty")
                .hasMessageContaining("Maybe choose a new directory");
    }

    @Test
    void neverWritesSecretDataEnvFromSecretsTokensOrPrivateKeys(@TempDir Path dir) throws Exception {
        var secret = new SecretBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("db")
                .addToAnnotations(
                        "kubectl.kubernetes.io/last-applied-configuration",
                        "{\"data\":{\"password\":\"aHVudGVyMg==\"}}")
                .endMetadata()
                .withType("kubernetes.io/service-account-token")
                .addToData("password", "aHVudGVyMg==")
                .addToData("token", "c2VjcmV0LXRva2Vu")
                .addToStringData("apikey", "plain-api-key")
                .build();
        var deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .addToAnnotations("example.com/deploy-token", "ghp_abcdefghijklmnop")
                .addToAnnotations("example.com/owner", JWT)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .addNewEnv()
                .withName("DB_PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", false)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("ADMIN_PASSWORD")
                .withValue("s3cr3t-inline")
                .endEnv()
                .addNewEnv()
                .withName("LOG_LEVEL")
                .withValue("debug")
                .endEnv()
                .addNewEnvFrom()
                .withNewSecretRef("all-secrets", false)
                .endEnvFrom()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        var config = new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName("kubeadm-config")
                .endMetadata()
                .addToData("ClusterConfiguration", "kind: ClusterConfiguration\n")
                .addToData("stray-key", PRIVATE_KEY)
                .addToData("join", "kubeadm join --token abcdef.0123456789abcdef")
                .build();
        var hostFacts = new NodeFacts(
                SnapshotReader.API_VERSION,
                NodeFacts.KIND,
                FactsMetadata.named("cp1"),
                List.of(
                        new NodeFacts.HostFile("/etc/kubernetes/pki/ca.crt", "-----BEGIN CERTIFICATE-----\n"),
                        new NodeFacts.HostFile("/etc/kubernetes/pki/ca.key", "anything"),
                        new NodeFacts.HostFile("/etc/kubernetes/pki/sa.pub.bak", PRIVATE_KEY)),
                null,
                Map.of("kubelet", List.of("bearer " + JWT + " rejected")));

        writer.write(
                dir,
                writer.files(new SnapshotContent(
                        List.of(secret, deployment, config), List.of(hostFacts), Optional.empty(), info())));
        String written = allText(dir);

        assertThat(written)
                .doesNotContain("aHVudGVyMg==", "c2VjcmV0LXRva2Vu", "plain-api-key")
                .doesNotContain("secretKeyRef", "DB_PASSWORD", "all-secrets", "s3cr3t-inline")
                .doesNotContain("ghp_abcdefghijklmnop", JWT, "PRIVATE KEY", "abcdef.0123456789abcdef")
                .doesNotContain("ca.key", "last-applied-configuration")
                .contains("remedy.dev/redacted-keys: \"apikey,password,token\"")
                .contains("LOG_LEVEL", "ADMIN_PASSWORD", "ClusterConfiguration", "/etc/kubernetes/pki/ca.crt");
    }

    private static String allText(Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String namespace, String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
    }

    private static SnapshotContent content(List<HasMetadata> objects) {
        return new SnapshotContent(objects, List.of(), Optional.empty(), info());
    }

    private static SnapshotInfo info() {
        return new SnapshotInfo(
                SnapshotReader.API_VERSION,
                SnapshotInfo.KIND,
                FactsMetadata.named("snapshot"),
                "2026-01-01T00:00:00Z",
                "test",
                "https://127.0.0.1:6443",
                List.of("pods"),
                List.of());
    }

    private static String text(SortedMap<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }
}
