package dev.remedy.cli;

import dev.remedy.facts.live.LiveOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How much to collect from a live cluster: host facts (privileged, opt-in) and the etcd timeout. */
final class LiveCollectionOptions {

    @Option(
            names = "--node-facts",
            description =
                    "Also read host facts (CNI config, static pod manifests, certificates, kubelet config and"
                            + " logs) through one short-lived, read-only pod per node; needs deploy/rbac/remedy-node-facts.yaml.")
    boolean nodeFacts;

    @Option(
            names = "--node-facts-namespace",
            paramLabel = "NS",
            defaultValue = "default",
            description = "The namespace the host-facts pods run in (default: ${DEFAULT-VALUE}).")
    String nodeFactsNamespace;

    @Option(
            names = "--node-facts-image",
            paramLabel = "IMAGE",
            defaultValue = LiveOptions.DEFAULT_IMAGE,
            description = "The image of the host-facts pods; it needs sh, find, base64 (default: ${DEFAULT-VALUE}).")
    String nodeFactsImage;

    @Option(
            names = "--etcd-timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "How long each etcd member may take to answer before it is reported down; a slower"
                    + " answer is reported as slow (default: ${DEFAULT-VALUE}).")
    int etcdTimeoutSeconds;

    LiveOptions options() {
        LiveOptions defaults = LiveOptions.defaults();
        return new LiveOptions(
                defaults.pageSize(),
                Duration.ofSeconds(Math.max(1, etcdTimeoutSeconds)),
                nodeFacts,
                nodeFactsNamespace,
                nodeFactsImage,
                defaults.nodeFactsConcurrency(),
                defaults.nodeFactsTimeout());
    }
}
