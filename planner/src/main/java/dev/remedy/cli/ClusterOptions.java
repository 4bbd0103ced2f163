package dev.remedy.cli;

import dev.remedy.facts.live.ClusterTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** kubectl's global flags for choosing and reaching a cluster, shared by the commands that read one. */
final class ClusterOptions {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "The kubeconfig to use (default: KUBECONFIG, its files merged, else ~/.kube/config,"
                    + " else the pod's service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use.")
    String context;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Read namespaced objects in NS (and kube-system, where the control plane runs).")
    String namespace;

    @Option(
            names = {"-A", "--all-namespaces"},
            description = "Read namespaced objects in all namespaces.")
    boolean allNamespaces;

    @Option(
            names = "--request-timeout",
            paramLabel = "DURATION",
            description = "How long one API request may take, e.g. 30s, 1m, 500ms; 0 waits forever (default: 30s).")
    String requestTimeout;

    ClusterTarget target() {
        if (allNamespaces && namespace != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--namespace and --all-namespaces exclude each other");
        }
        return new ClusterTarget(
                Optional.ofNullable(kubeconfig),
                Optional.ofNullable(context),
                Optional.ofNullable(namespace),
                allNamespaces,
                Optional.ofNullable(requestTimeout).map(this::duration));
    }

    /** A duration as kubectl takes it: {@code 0}, a number of seconds, or units such as {@code 1m30s}. */
    private Duration duration(String text) {
        String value = text.strip();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        Matcher matcher = DURATION.matcher(value);
        double millis = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            millis += switch (matcher.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "The --request-timeout value (" + text + ") is not a duration such as 30s, 1m or 500ms");
        }
        return Duration.ofMillis((long) millis);
    }
}
