package dev.remedy.facts.live;

import java.time.Duration;

/**
 * How to collect from a live cluster beyond where to connect: the page size of lists, the etcdctl timeout, and
 * whether (and where, with which image) to run the privileged host-facts pods.
 */
public record LiveOptions(
        int pageSize,
        Duration etcdTimeout,
        boolean nodeFacts,
        String nodeFactsNamespace,
        String nodeFactsImage,
        int nodeFactsConcurrency,
        Duration nodeFactsTimeout) {

    public static final int DEFAULT_PAGE_SIZE = 500;
    public static final String DEFAULT_IMAGE = "busybox:1.36";

    public static LiveOptions defaults() {
        return new LiveOptions(
                DEFAULT_PAGE_SIZE,
                EtcdCollector.DEFAULT_TIMEOUT,
                false,
                "default",
                DEFAULT_IMAGE,
                5,
                Duration.ofSeconds(120));
    }

    public LiveOptions withNodeFacts(String namespace) {
        return new LiveOptions(
                pageSize, etcdTimeout, true, namespace, nodeFactsImage, nodeFactsConcurrency, nodeFactsTimeout);
    }
}
