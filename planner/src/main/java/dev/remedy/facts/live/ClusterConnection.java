package dev.remedy.facts.live;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.time.Duration;

/** An open client to the cluster of a {@link ClusterTarget}, with the context and server it resolved to. */
public record ClusterConnection(KubernetesClient client, String context, String server, String namespace)
        implements AutoCloseable {

    /** How long one request may take unless {@code --request-timeout} says otherwise; kubectl has no limit. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public static ClusterConnection open(ClusterTarget target) {
        Config config = config(target);
        Duration timeout = target.requestTimeout().orElse(DEFAULT_REQUEST_TIMEOUT);
        // 0 means no timeout, as in kubectl.
        config.setRequestTimeout(timeout.isZero() ? 0 : (int) Math.max(1, timeout.toMillis()));
        // One retry for a dropped connection; fabric8's default of ten would turn one slow request into minutes.
        config.setRequestRetryBackoffLimit(1);
        target.namespace().ifPresent(config::setNamespace);
        String context = config.getCurrentContext() == null
                ? "in-cluster"
                : config.getCurrentContext().getName();
        String namespace = config.getNamespace() == null ? "default" : config.getNamespace();
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        return new ClusterConnection(client, context, config.getMasterUrl(), namespace);
    }

    private static Config config(ClusterTarget target) {
        String context = target.context().orElse(null);
        try {
            if (target.kubeconfig().isPresent()) {
                var file = target.kubeconfig().get();
                if (!Files.isReadable(file)) {
                    throw new ClusterException(
                            "The kubeconfig (" + file + ") cannot be read. Maybe check the" + " --kubeconfig path.");
                }
                Config config = Config.fromKubeconfig(context, file.toFile());
                checkContext(config, context, file.toString());
                return config;
            }
            Config config = Config.autoConfigure(context);
            checkContext(config, context, "KUBECONFIG or ~/.kube/config");
            return config;
        } catch (KubernetesClientException e) {
            throw new ClusterException(
                    "The kubeconfig cannot be used: " + e.getMessage() + ". Maybe check it with `kubectl config view`.",
                    e);
        }
    }

    private static void checkContext(Config config, String wanted, String where) {
        if (wanted == null) {
            return;
        }
        NamedContext current = config.getCurrentContext();
        if (current == null || !wanted.equals(current.getName())) {
            throw new ClusterException("The context (" + wanted + ") is not in " + where
                    + ". Maybe one of "
                    + config.getContexts().stream().map(NamedContext::getName).toList()
                    + "; `kubectl config get-contexts` lists them.");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
