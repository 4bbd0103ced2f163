package dev.remedy.facts.live;

import dev.remedy.facts.NodeFacts;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Host facts through one short-lived pod per node ({@link NodeFactsPod}), a few nodes at a time. Every pod is
 * deleted when its node is done, and all pods of the run are deleted on the way out, also on Ctrl-C or an
 * error: a shutdown hook removes whatever is left, by the run's label.
 */
public final class NodeFactsCollector {

    private final KubernetesClient client;
    private final LiveOptions options;
    private final Duration requestTimeout;
    private final String runId;
    private final long pollMillis;

    public NodeFactsCollector(KubernetesClient client, LiveOptions options, Duration requestTimeout) {
        this(client, options, requestTimeout, newRunId(), 1000);
    }

    NodeFactsCollector(
            KubernetesClient client, LiveOptions options, Duration requestTimeout, String runId, long pollMillis) {
        this.client = client;
        this.options = options;
        this.requestTimeout = requestTimeout;
        this.runId = runId;
        this.pollMillis = pollMillis;
    }

    public Map<String, NodeFacts> collect(List<String> nodes, CollectionLog log, Progress progress) {
        Map<String, NodeFacts> facts = new TreeMap<>();
        Thread cleanup = new Thread(this::deleteAll, "remedy-node-facts-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.max(1, Math.min(options.nodeFactsConcurrency(), nodes.size())));
        try {
            Map<String, Future<Optional<NodeFacts>>> futures = new TreeMap<>();
            for (String node : nodes) {
                futures.put(node, pool.submit(() -> collectNode(node, log)));
            }
            int done = 0;
            for (var entry : futures.entrySet()) {
                try {
                    entry.getValue().get().ifPresent(f -> facts.put(entry.getKey(), f));
                } catch (ExecutionException e) {
                    log.problem("host facts of node " + entry.getKey(), Failure.reason(e.getCause(), requestTimeout));
                }
                progress.update("host facts: " + ++done + "/" + nodes.size() + " nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
            deleteAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running.
            }
        }
        log.collected("host facts: " + facts.size() + " of " + nodes.size() + " nodes, pods in namespace "
                + options.nodeFactsNamespace() + " (image " + options.nodeFactsImage() + ")");
        return facts;
    }

    private Optional<NodeFacts> collectNode(String node, CollectionLog log) throws InterruptedException {
        String what = "host facts of node " + node;
        Pod spec = NodeFactsPod.spec(
                runId,
                node,
                options.nodeFactsNamespace(),
                options.nodeFactsImage(),
                options.nodeFactsTimeout().toSeconds());
        var pods = client.pods().inNamespace(options.nodeFactsNamespace());
        String name = spec.getMetadata().getName();
        try {
            pods.resource(spec).create();
        } catch (KubernetesClientException e) {
            log.problem(what, "the facts pod could not be created: " + Failure.reason(e, requestTimeout));
            return Optional.empty();
        }
        try {
            long deadline = System.nanoTime() + options.nodeFactsTimeout().toNanos();
            Pod pod = pods.withName(name).get();
            while (!finished(pod) && System.nanoTime() < deadline) {
                Thread.sleep(pollMillis);
                pod = pods.withName(name).get();
            }
            if (!finished(pod)) {
                log.problem(
                        what,
                        "the facts pod did not finish within "
                                + options.nodeFactsTimeout().toSeconds() + " s" + waitingReason(pod));
                return Optional.empty();
            }
            String printed = pods.withName(name).getLog();
            if (!"Succeeded".equals(pod.getStatus().getPhase())) {
                log.problem(what, "the facts pod failed" + waitingReason(pod) + lastLine(printed));
                return Optional.empty();
            }
            NodeFactsScript.Output output = NodeFactsScript.parse(node, printed == null ? "" : printed);
            output.missing().forEach(m -> log.collected("host facts of node " + node + ": not present: " + m));
            if (!output.complete()) {
                log.problem(what, "the facts pod's output ends early; the host facts are partial");
            }
            return Optional.of(output.facts());
        } catch (KubernetesClientException | IllegalArgumentException e) {
            log.problem(what, Failure.reason(e, requestTimeout));
            return Optional.empty();
        } finally {
            delete(name);
        }
    }

    private static boolean finished(Pod pod) {
        return pod != null
                && pod.getStatus() != null
                && ("Succeeded".equals(pod.getStatus().getPhase())
                        || "Failed".equals(pod.getStatus().getPhase()));
    }

    private static String waitingReason(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return "";
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                if (status.getState() != null && status.getState().getWaiting() != null) {
                    var waiting = status.getState().getWaiting();
                    return ": " + waiting.getReason()
                            + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")");
                }
                if (status.getState() != null && status.getState().getTerminated() != null) {
                    var terminated = status.getState().getTerminated();
                    return ": exit code " + terminated.getExitCode()
                            + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")");
                }
            }
        }
        return pod.getStatus().getReason() == null
                ? (pod.getStatus().getPhase() == null
                        ? ""
                        : ": phase " + pod.getStatus().getPhase())
                : ": " + pod.getStatus().getReason();
    }

    private static String lastLine(String printed) {
        if (printed == null || printed.isBlank()) {
            return "";
        }
        List<String> lines = printed.strip().lines().toList();
        return "; last output: " + lines.get(lines.size() - 1);
    }

    private void delete(String name) {
        try {
            client.pods()
                    .inNamespace(options.nodeFactsNamespace())
                    .withName(name)
                    .withGracePeriod(0)
                    .delete();
        } catch (KubernetesClientException e) {
            // deleteAll tries again by label on the way out.
        }
    }

    /** Deletes every pod of this run; called at the end and by the shutdown hook. */
    void deleteAll() {
        try {
            client.pods()
                    .inNamespace(options.nodeFactsNamespace())
                    .withLabel(NodeFactsPod.RUN_LABEL, runId)
                    .withGracePeriod(0)
                    .delete();
        } catch (KubernetesClientException e) {
            System.err.println("warning: the node-facts pods of run " + runId + " in namespace "
                    + options.nodeFactsNamespace() + " could not be deleted: " + e.getMessage()
                    + ". Maybe `kubectl delete pod -n " + options.nodeFactsNamespace() + " -l "
                    + NodeFactsPod.RUN_LABEL + "=" + runId + "`.");
        }
    }

    private static String newRunId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
