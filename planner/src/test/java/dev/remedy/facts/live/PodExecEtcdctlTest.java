package dev.remedy.facts.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusMessage;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** etcdctl run inside the etcd static pod through the API server's exec, as the mock server receives it. */
@EnableKubernetesMockClient
class PodExecEtcdctlTest {

    private static final List<String> CONNECTION = List.of(
            "--endpoints=https://127.0.0.1:2379",
            "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
            "--cert=/etc/kubernetes/pki/etcd/server.crt",
            "--key=/etc/kubernetes/pki/etcd/server.key");

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void theEtcdPodExists() {
        // fabric8 reads the pod before an exec, to check the container; the API server would have it.
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/kube-system/pods/etcd-cp1")
                .andReturn(200, etcdPod())
                .always();
    }

    @Test
    void runsEtcdctlWithTheMembersOwnCertificatesAndReturnsItsOutput() throws Exception {
        List<String> command = Stream.concat(
                        Stream.concat(Stream.of("etcdctl"), CONNECTION.stream()),
                        Stream.of("endpoint", "status", "-w", "json"))
                .toList();
        expectExec(command, new OutputStreamMessage("[{\"Endpoint\":\"https://127.0.0.1:2379\"}]\n"), success());

        PodExecEtcdctl etcdctl =
                PodExecEtcdctl.of(client, etcdPod(), Duration.ofSeconds(5)).orElseThrow();
        Etcdctl.Result result = etcdctl.run(List.of("endpoint", "status", "-w", "json"));

        assertThat(etcdctl.where()).isEqualTo("pod kube-system/etcd-cp1");
        assertThat(etcdctl.connection()).isEqualTo(CONNECTION);
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("\"Endpoint\":\"https://127.0.0.1:2379\"");
    }

    @Test
    void anEtcdctlThatDefaultsToTheV2ApiIsRunAgainWithEtcdctlApi3() throws Exception {
        List<String> command = Stream.concat(
                        Stream.concat(Stream.of("etcdctl"), CONNECTION.stream()),
                        Stream.of("member", "list", "-w", "json"))
                .toList();
        expectExec(command, new ErrorStreamMessage("flag provided but not defined: -w\n"), exitCode(1));
        List<String> wrapped = Stream.concat(
                        Stream.of("sh", "-c", "ETCDCTL_API=3 exec \"$0\" \"$@\""), command.stream())
                .toList();
        expectExec(wrapped, new OutputStreamMessage("{\"members\":[]}\n"), success());

        Etcdctl.Result result = PodExecEtcdctl.of(client, etcdPod(), Duration.ofSeconds(5))
                .orElseThrow()
                .run(List.of("member", "list", "-w", "json"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("{\"members\":[]}\n");
    }

    @Test
    void aFailingEtcdctlIsAResultWithItsExitCodeAndReason() throws Exception {
        List<String> command = Stream.concat(
                        Stream.concat(Stream.of("etcdctl"), CONNECTION.stream()), Stream.of("endpoint", "health"))
                .toList();
        expectExec(
                command,
                new ErrorStreamMessage(
                        "{\"level\":\"warn\",\"msg\":\"retrying\"}\n" + "Error: context deadline exceeded\n"),
                exitCode(1));

        Etcdctl.Result result = PodExecEtcdctl.of(client, etcdPod(), Duration.ofSeconds(5))
                .orElseThrow()
                .run(List.of("endpoint", "health"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.reason()).isEqualTo("Error: context deadline exceeded");
    }

    @Test
    void aPodThatDoesNotRunEtcdHasNoEtcdctl() {
        Pod apiserver = new PodBuilder(etcdPod())
                .editSpec()
                .editFirstContainer()
                .withCommand("kube-apiserver", "--etcd-servers=https://127.0.0.1:2379")
                .endContainer()
                .endSpec()
                .build();

        assertThat(PodExecEtcdctl.of(client, apiserver, Duration.ofSeconds(5))).isEmpty();
    }

    private static Pod etcdPod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("etcd-cp1")
                .withNamespace("kube-system")
                .endMetadata()
                .withNewSpec()
                .withNodeName("cp1")
                .addNewContainer()
                .withName("etcd")
                .withCommand(
                        "etcd",
                        "--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.1:2379",
                        "--advertise-client-urls=https://10.0.0.1:2379",
                        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
                        "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
                        "--key-file=/etc/kubernetes/pki/etcd/server.key")
                .endContainer()
                .endSpec()
                .build();
    }

    /** The API server answers one exec of {@code command} with {@code messages} (stdout, stderr, status). */
    private void expectExec(List<String> command, WebSocketMessage... messages) {
        server.expect()
                .withPath(execPath(command))
                .andUpgradeToWebSocket()
                .open(messages)
                .done()
                .once();
    }

    /** What kube-apiserver sends on the exec error channel when the command ends with 0. */
    private static StatusMessage success() {
        return new StatusMessage(new StatusBuilder().withStatus("Success").build());
    }

    /** What kube-apiserver sends on the exec error channel when the command ends with a non-zero code. */
    private static StatusMessage exitCode(int code) {
        return new StatusMessage(new StatusBuilder()
                .withStatus("Failure")
                .withReason("NonZeroExitCode")
                .withMessage("command terminated with non-zero exit code: error executing command [etcdctl], exit code "
                        + code)
                .withNewDetails()
                .addNewCause()
                .withReason("ExitCode")
                .withMessage(Integer.toString(code))
                .endCause()
                .endDetails()
                .build());
    }

    /** The exec request fabric8 sends: one {@code command} parameter per word, then the container and streams. */
    private static String execPath(List<String> command) {
        return "/api/v1/namespaces/kube-system/pods/etcd-cp1/exec?"
                + command.stream()
                        .map(c -> "command="
                                + URLEncoder.encode(c, StandardCharsets.UTF_8).replace("+", "%20"))
                        .collect(Collectors.joining("&"))
                + "&container=etcd&stdout=true&stderr=true";
    }
}
