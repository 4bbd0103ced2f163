package dev.remedy.execute;

import dev.remedy.plan.PlannedAction;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs node scripts in a short-lived privileged pod on the node: the host's root mounted at /host and the
 * script run with {@code chroot /host bash}, so the node's own tools (sha256sum, systemctl) do the work. Every
 * pod is deleted afterwards, also when the script fails, and on JVM shutdown (Ctrl-C) if one is still there.
 */
public final class PodNodeActions implements NodeActions {

    private static final int MISSING = 44;

    private final KubernetesClient client;
    private final String namespace;
    private final String image;
    private final Duration timeout;
    private final Duration poll;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public PodNodeActions(KubernetesClient client, String namespace, String image, Duration timeout, Duration poll) {
        this.client = client;
        this.namespace = namespace;
        this.image = image;
        this.timeout = timeout;
        this.poll = poll;
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteRunning, "remedy-node-pod-cleanup"));
    }

    @Override
    public String run(PlannedAction action, String script) {
        Execution execution = execute(action.node(), "remedy-" + action.id().toLowerCase(Locale.ROOT), script, true);
        if (execution.exitCode() == NodeScript.STALE) {
            throw new StaleTargetException(execution.log().strip());
        }
        if (execution.exitCode() != 0) {
            throw new ExecutionException(action.id() + " failed on " + action.node() + " (exit code "
                    + execution.exitCode() + "): " + execution.log().strip());
        }
        return execution.log();
    }

    @Override
    public Optional<String> read(String node, String path) {
        String script = "if [ -f " + NodeScript.quote(path) + " ]; then base64 -w0 " + NodeScript.quote(path)
                + "; else exit " + MISSING + "; fi\n";
        Execution execution = execute(node, "remedy-read", script, false);
        if (execution.exitCode() == MISSING) {
            return Optional.empty();
        }
        if (execution.exitCode() != 0) {
            throw new ExecutionException("Reading " + node + ":" + path + " failed (exit code " + execution.exitCode()
                    + "): " + execution.log().strip());
        }
        return Optional.of(new String(Base64.getDecoder().decode(execution.log().strip()), StandardCharsets.UTF_8));
    }

    /**
     * The pod that runs {@code script} on {@code node}: privileged with the host's root writable for an action,
     * unprivileged with it read-only for a read. Package-private so tests can assert its spec.
     */
    Pod pod(String node, String name, String script, boolean write) {
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(name + "-")
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "kubectl-remedy")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withRestartPolicy("Never")
                .withHostPID(write)
                .withAutomountServiceAccountToken(false)
                .addNewToleration()
                .withOperator("Exists")
                .endToleration()
                .addNewContainer()
                .withName("remedy")
                .withImage(image)
                .withCommand(List.of("chroot", "/host", "bash", "-c", script))
                .withNewSecurityContext()
                .withPrivileged(write)
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("host")
                .withMountPath("/host")
                .withReadOnly(!write)
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("host")
                .withNewHostPath()
                .withPath("/")
                .endHostPath()
                .endVolume()
                .endSpec()
                .build();
    }

    private Execution execute(String node, String name, String script, boolean write) {
        Pod created = client.pods()
                .inNamespace(namespace)
                .resource(pod(node, name, script, write))
                .create();
        String podName = created.getMetadata().getName();
        running.add(podName);
        try {
            ContainerStateTerminated terminated = await(podName, node);
            String log = client.pods().inNamespace(namespace).withName(podName).getLog();
            return new Execution(terminated.getExitCode(), log == null ? "" : log);
        } finally {
            client.pods().inNamespace(namespace).withName(podName).delete();
            running.remove(podName);
        }
    }

    private ContainerStateTerminated await(String podName, String node) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            if (pod != null && pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
                for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                    if (status.getState() != null && status.getState().getTerminated() != null) {
                        return status.getState().getTerminated();
                    }
                }
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExecutionException("Interrupted while waiting for pod " + podName + " on " + node + ".");
            }
        }
        throw new ExecutionException("The pod " + namespace + "/" + podName + " on " + node + " did not finish within "
                + timeout.toSeconds() + "s. Maybe the image (" + image + ") cannot be pulled there, or the node is"
                + " down; it was deleted.");
    }

    private void deleteRunning() {
        for (String pod : running) {
            try {
                client.pods().inNamespace(namespace).withName(pod).delete();
            } catch (RuntimeException e) {
                System.err.println("kubectl-remedy: could not delete pod " + namespace + "/" + pod + ": "
                        + e.getMessage() + ". Delete it by hand.");
            }
        }
    }

    private record Execution(int exitCode, String log) {}
}
