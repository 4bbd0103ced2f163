package dev.remedy.facts.live;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcdctl run inside an etcd static pod through the API server's exec, with the pod's own certificates and
 * client URL, read from the etcd command line in the pod spec. No pod is created and no key leaves the node.
 */
public final class PodExecEtcdctl implements Etcdctl {

    private final KubernetesClient client;
    private final Pod pod;
    private final Container container;
    private final List<String> connection;
    private final Duration timeout;

    private PodExecEtcdctl(
            KubernetesClient client, Pod pod, Container container, List<String> connection, Duration timeout) {
        this.client = client;
        this.pod = pod;
        this.container = container;
        this.connection = connection;
        this.timeout = timeout;
    }

    /** etcdctl in {@code pod} if it runs etcd with a readable command line; {@code timeout} bounds one call. */
    public static Optional<PodExecEtcdctl> of(KubernetesClient client, Pod pod, Duration timeout) {
        if (pod.getSpec() == null) {
            return Optional.empty();
        }
        for (Container container : pod.getSpec().getContainers()) {
            List<String> command = new ArrayList<>();
            Optional.ofNullable(container.getCommand()).ifPresent(command::addAll);
            Optional.ofNullable(container.getArgs()).ifPresent(command::addAll);
            if (command.stream().noneMatch(c -> c.equals("etcd") || c.endsWith("/etcd"))) {
                continue;
            }
            List<String> connection = new ArrayList<>();
            connection.add("--endpoints=" + endpoint(command));
            flag(command, "--trusted-ca-file").ifPresent(f -> connection.add("--cacert=" + f));
            flag(command, "--cert-file").ifPresent(f -> connection.add("--cert=" + f));
            flag(command, "--key-file").ifPresent(f -> connection.add("--key=" + f));
            return Optional.of(new PodExecEtcdctl(client, pod, container, connection, timeout));
        }
        return Optional.empty();
    }

    /** The flags etcdctl is given before the command, for tests and for the account. */
    public List<String> connection() {
        return connection;
    }

    @Override
    public String where() {
        return "pod " + pod.getMetadata().getNamespace() + "/"
                + pod.getMetadata().getName();
    }

    @Override
    public Result run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("etcdctl");
        command.addAll(connection);
        command.addAll(args);
        Result result = exec(command);
        if (isV2Etcdctl(result)) {
            // etcd 3.2 and 3.3 images default etcdctl to the v2 API; they still have a shell to set it.
            List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "ETCDCTL_API=3 exec \"$0\" \"$@\""));
            wrapped.addAll(command);
            result = exec(wrapped);
        }
        return result;
    }

    private static boolean isV2Etcdctl(Result result) {
        String err = result.stderr();
        return result.exitCode() != 0
                && (err.contains("flag provided but not defined") || err.contains("No help topic"));
    }

    private Result exec(List<String> command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .inContainer(container.getName())
                .writingOutput(out)
                .writingError(err)
                .exec(command.toArray(String[]::new))) {
            // etcdctl ends by itself within its command timeout per member; the margin covers the exec itself.
            int exitCode = watch.exitCode().get(timeout.toSeconds() * 3 + 15, TimeUnit.SECONDS);
            return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (KubernetesClientException e) {
            throw new IOException("exec failed: " + Failure.reason(e, timeout), e);
        } catch (TimeoutException e) {
            throw new IOException("etcdctl did not end within " + (timeout.toSeconds() * 3 + 15) + " s", e);
        } catch (ExecutionException e) {
            throw new IOException("exec failed: " + Failure.reason(e.getCause(), timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String endpoint(List<String> command) {
        Optional<String> listen = flag(command, "--listen-client-urls")
                .flatMap(urls -> java.util.Arrays.stream(urls.split(","))
                        .filter(u -> u.contains("127.0.0.1") || u.contains("localhost") || u.contains("[::1]"))
                        .findFirst());
        return listen.or(() -> flag(command, "--advertise-client-urls").map(u -> u.split(",")[0]))
                .orElse("https://127.0.0.1:2379");
    }

    private static Optional<String> flag(List<String> command, String name) {
        for (int i = 0; i < command.size(); i++) {
            String part = command.get(i);
            if (part.startsWith(name + "=")) {
                return Optional.of(part.substring(name.length() + 1));
            }
            if (part.equals(name) && i + 1 < command.size()) {
                return Optional.of(command.get(i + 1));
            }
        }
        return Optional.empty();
    }
}
