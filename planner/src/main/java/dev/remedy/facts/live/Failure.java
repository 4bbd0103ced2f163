package dev.remedy.facts.live;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Why a part of the cluster could not be read, in words that fit a {@code SnapshotInfo} problem. */
final class Failure {

    private Failure() {}

    static String reason(Throwable error, Duration timeout) {
        if (error instanceof KubernetesClientException k && k.getCode() > 0) {
            return switch (k.getCode()) {
                case 401 -> "unauthorized (401): the credentials of the context were refused";
                case 403 ->
                    "forbidden (403): " + statusMessage(k)
                            + "; maybe bind the ClusterRole in deploy/rbac/remedy-reader.yaml";
                case 404 -> "not served by this API server (404)";
                default -> "HTTP " + k.getCode() + ": " + statusMessage(k);
            };
        }
        if (isTimeout(error)) {
            return "no answer within the request timeout (" + timeout.toMillis() / 1000.0
                    + " s); maybe raise --request-timeout";
        }
        Throwable root = root(error);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    static boolean isTimeout(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof HttpTimeoutException
                    || e instanceof TimeoutException
                    || e instanceof InterruptedIOException) {
                return true;
            }
            if (e.getMessage() != null && e.getMessage().toLowerCase().contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    static boolean isUnreachable(Throwable error) {
        return root(error) instanceof ConnectException
                || root(error) instanceof java.nio.channels.UnresolvedAddressException
                || root(error) instanceof java.net.UnknownHostException;
    }

    private static String statusMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Throwable root(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
