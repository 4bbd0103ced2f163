package dev.remedy.execute;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks against the live cluster, each polled until it passes or its timeout ends. Checks only a person can
 * make (etcd member health from inside the control plane, a snapshot's status) are reported as such.
 */
public final class ApiChecks implements Checks {

    private final KubernetesClient client;
    private final Duration poll;

    public ApiChecks(KubernetesClient client, Duration poll) {
        this.client = client;
        this.poll = poll;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Result run(Map<String, Object> check, Duration timeout) {
        String name = String.valueOf(check.get("check"));
        Map<String, Object> ref = check.get("pod") instanceof Map<?, ?> pod
                ? (Map<String, Object>) pod
                : check.get("target") instanceof Map<?, ?> target ? (Map<String, Object>) target : Map.of();
        return switch (name) {
            case "nodeReady" -> until(timeout, () -> nodeReady(String.valueOf(check.get("node"))));
            case "podReady" -> until(timeout, () -> podReady(ref));
            case "rolloutComplete" -> until(timeout, () -> rolloutComplete(ref));
            case "daemonSetPodsGone" -> until(timeout, () -> daemonSetPodsGone(ref));
            case "staticPodCount" -> until(timeout, () -> staticPodCount(check));
            case "podIPsInCidr" -> until(timeout, () -> podIPsInCidr(check));
            case "restartCountStable" -> restartCountStable(ref, check, timeout);
            default -> Result.byHand(name + " " + check);
        };
    }

    private Optional<String> nodeReady(String name) {
        Node node = client.nodes().withName(name).get();
        boolean ready = node != null
                && node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return ready ? Optional.empty() : Optional.of("node " + name + " is not Ready");
    }

    private Optional<String> podReady(Map<String, Object> ref) {
        Pod pod = client.pods()
                .inNamespace(str(ref, "namespace"))
                .withName(str(ref, "name"))
                .get();
        boolean ready = pod != null
                && pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return ready
                ? Optional.empty()
                : Optional.of("pod " + str(ref, "namespace") + "/" + str(ref, "name") + " is not Ready");
    }

    private Optional<String> rolloutComplete(Map<String, Object> ref) {
        String namespace = str(ref, "namespace");
        String name = str(ref, "name");
        String what = ref.get("kind") + " " + namespace + "/" + name;
        switch (str(ref, "kind")) {
            case "Deployment" -> {
                Deployment d = client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
                if (d == null || d.getStatus() == null) {
                    return Optional.of(what + " has no status");
                }
                int wanted = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
                boolean done = Objects.equals(
                                d.getStatus().getObservedGeneration(),
                                d.getMetadata().getGeneration())
                        && Objects.requireNonNullElse(d.getStatus().getUpdatedReplicas(), 0) == wanted
                        && Objects.requireNonNullElse(d.getStatus().getAvailableReplicas(), 0) == wanted;
                return done ? Optional.empty() : Optional.of(what + " has not finished rolling out");
            }
            case "StatefulSet" -> {
                StatefulSet s = client.apps()
                        .statefulSets()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
                boolean done = s != null
                        && s.getStatus() != null
                        && Objects.equals(
                                s.getStatus().getUpdateRevision(), s.getStatus().getCurrentRevision())
                        && Objects.equals(
                                s.getStatus().getReadyReplicas(), s.getSpec().getReplicas());
                return done ? Optional.empty() : Optional.of(what + " has not finished rolling out");
            }
            case "DaemonSet" -> {
                DaemonSet s = client.apps()
                        .daemonSets()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
                boolean done = s != null
                        && s.getStatus() != null
                        && Objects.equals(
                                s.getStatus().getUpdatedNumberScheduled(),
                                s.getStatus().getDesiredNumberScheduled())
                        && Objects.equals(
                                s.getStatus().getNumberAvailable(),
                                s.getStatus().getDesiredNumberScheduled());
                return done ? Optional.empty() : Optional.of(what + " has not finished rolling out");
            }
            default -> {
                return Optional.of(what + ": rollouts of this kind are not checked");
            }
        }
    }

    private Optional<String> daemonSetPodsGone(Map<String, Object> ref) {
        DaemonSet daemonSet = client.apps()
                .daemonSets()
                .inNamespace(str(ref, "namespace"))
                .withName(str(ref, "name"))
                .get();
        if (daemonSet == null) {
            return Optional.empty();
        }
        int scheduled = daemonSet.getStatus() == null
                ? 0
                : Objects.requireNonNullElse(daemonSet.getStatus().getCurrentNumberScheduled(), 0);
        return scheduled == 0
                ? Optional.empty()
                : Optional.of("DaemonSet " + str(ref, "namespace") + "/" + str(ref, "name") + " still runs " + scheduled
                        + " pods");
    }

    private Optional<String> staticPodCount(Map<String, Object> check) {
        String node = String.valueOf(check.get("node"));
        String component = String.valueOf(check.get("component"));
        long wanted = ((Number) check.getOrDefault("equals", 1)).longValue();
        long count =
                client.pods().inNamespace("kube-system").withLabel("component", component).list().getItems().stream()
                        .filter(p ->
                                p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
                        .count();
        return count == wanted
                ? Optional.empty()
                : Optional.of(count + " " + component + " pods run on " + node + ", " + wanted + " expected");
    }

    private Optional<String> podIPsInCidr(Map<String, Object> check) {
        String node = String.valueOf(check.get("node"));
        Object cidr = check.get("cidr");
        if (cidr == null) {
            return Optional.of("the cluster's pod CIDR is unknown: check the new pods' IPs on " + node + " by hand");
        }
        // Filtered here rather than with a field selector: a check runs once per wave, and this reads the same
        // from every API server, mock or real.
        List<String> outside = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
                .filter(p -> !Boolean.TRUE.equals(p.getSpec().getHostNetwork()))
                .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
                .filter(p -> !inCidr(p.getStatus().getPodIP(), cidr.toString()))
                .map(p -> p.getMetadata().getNamespace() + "/"
                        + p.getMetadata().getName() + " "
                        + p.getStatus().getPodIP())
                .toList();
        return outside.isEmpty()
                ? Optional.empty()
                : Optional.of("pods on " + node + " outside " + cidr + ": " + String.join(", ", outside));
    }

    /** Whether an IPv4 or IPv6 address lies in a CIDR block. */
    static boolean inCidr(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (network.length != address.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            int shift = network.length * 8 - bits;
            return new BigInteger(1, network).shiftRight(shift).equals(new BigInteger(1, address).shiftRight(shift));
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    private Result restartCountStable(Map<String, Object> ref, Map<String, Object> check, Duration timeout) {
        String namespace = str(ref, "namespace");
        String name = str(ref, "name");
        Duration window = Duration.ofSeconds(((Number) check.getOrDefault("forSeconds", 60)).longValue());
        Duration watched = window.compareTo(timeout) < 0 ? window : timeout;
        int before = restarts(namespace, name);
        sleep(watched);
        int after = restarts(namespace, name);
        return after > before
                ? Result.failed("pod " + namespace + "/" + name + " restarted " + (after - before) + " more times in "
                        + watched.toSeconds() + "s")
                : Result.passed("pod " + namespace + "/" + name + " did not restart in " + watched.toSeconds() + "s");
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

    private Result until(Duration timeout, Supplier<Optional<String>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> failure = probe.get();
            if (failure.isEmpty()) {
                return Result.passed("ok");
            }
            if (System.nanoTime() > deadline) {
                return Result.failed(failure.get() + " after " + timeout.toSeconds() + "s");
            }
            sleep(poll);
        }
    }

    private static String str(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : value.toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionException("Interrupted while checking.");
        }
    }
}
