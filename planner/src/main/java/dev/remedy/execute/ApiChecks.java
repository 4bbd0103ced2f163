package dev.remedy.execute;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Checks against the live cluster, polling until they pass or the timeout ends. */
public final class ApiChecks implements Checks {

    private final KubernetesClient client;
    private final Duration poll;

    public ApiChecks(KubernetesClient client, Duration poll) {
        this.client = client;
        this.poll = poll;
    }

    @Override
    public Optional<String> failure(Map<String, Object> check, Duration timeout) {
        return switch (String.valueOf(check.get("check"))) {
            case "nodeReady" -> nodeReady(String.valueOf(check.get("node")), timeout);
            case "restartCountStable" -> restartCountStable(check, timeout);
            default -> Optional.empty();
        };
    }

    private Optional<String> nodeReady(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Node node = client.nodes().withName(name).get();
            boolean ready = node != null
                    && node.getStatus() != null
                    && node.getStatus().getConditions() != null
                    && node.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (ready) {
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                return Optional.of("node " + name + " is not Ready after " + timeout.toSeconds() + "s");
            }
            sleep();
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<String> restartCountStable(Map<String, Object> check, Duration timeout) {
        Map<String, Object> ref = (Map<String, Object>) check.get("pod");
        String namespace = String.valueOf(ref.get("namespace"));
        String name = String.valueOf(ref.get("name"));
        Duration window = Duration.ofSeconds(((Number) check.getOrDefault("forSeconds", 60)).longValue());
        Duration watched = window.compareTo(timeout) < 0 ? window : timeout;
        int before = restarts(namespace, name);
        long until = System.nanoTime() + watched.toNanos();
        while (System.nanoTime() < until) {
            sleep();
        }
        int after = restarts(namespace, name);
        return after > before
                ? Optional.of("pod " + namespace + "/" + name + " restarted " + (after - before) + " more times in "
                        + watched.toSeconds() + "s")
                : Optional.empty();
    }

    private int restarts(String namespace, String name) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .mapToInt(ContainerStatus::getRestartCount)
                .sum();
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionException("Interrupted while checking.");
        }
    }
}
