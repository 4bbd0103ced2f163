package dev.remedy.facts.live;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The running kubelet's configuration of each node, as its {@code /configz} endpoint returns it through the API
 * server's node proxy ({@code nodes/proxy}): no pod is needed. A few nodes are asked at a time.
 */
public final class KubeletConfigCollector {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final Duration timeout;
    private final int concurrency;

    public KubeletConfigCollector(KubernetesClient client, Duration timeout, int concurrency) {
        this.client = client;
        this.timeout = timeout;
        this.concurrency = concurrency;
    }

    /** Each node's KubeletConfiguration, by node name; nodes that did not answer are problems in the log. */
    public Map<String, Map<String, Object>> collect(List<String> nodes, CollectionLog log, Progress progress) {
        Map<String, Map<String, Object>> configs = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, nodes.size())));
        try {
            Map<String, Future<Optional<Map<String, Object>>>> futures = new TreeMap<>();
            for (String node : nodes) {
                futures.put(node, pool.submit(() -> configz(node, log)));
            }
            int done = 0;
            for (var entry : futures.entrySet()) {
                try {
                    entry.getValue().get().ifPresent(c -> configs.put(entry.getKey(), c));
                } catch (java.util.concurrent.ExecutionException e) {
                    log.problem("kubelet configz of node " + entry.getKey(), Failure.reason(e.getCause(), timeout));
                }
                progress.update("kubelet configuration: " + ++done + "/" + nodes.size() + " nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        if (!configs.isEmpty()) {
            log.collected("kubelet configz: " + configs.size() + " of " + nodes.size() + " nodes");
        }
        return configs;
    }

    private Optional<Map<String, Object>> configz(String node, CollectionLog log) throws Exception {
        String what = "kubelet configz of node " + node;
        String body = client.raw("/api/v1/nodes/" + node + "/proxy/configz");
        if (body == null) {
            log.problem(what, "not served (404): the kubelet has no /configz or the node is gone");
            return Optional.empty();
        }
        Map<String, Object> document = JSON.readValue(body, new TypeReference<Map<String, Object>>() {});
        Object config = document.get("kubeletconfig");
        if (!(config instanceof Map<?, ?> map)) {
            log.problem(what, "the answer has no kubeletconfig");
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        return Optional.of(typed);
    }
}
