package dev.remedy.cli;

import dev.remedy.execute.ApiActions;
import dev.remedy.execute.ApiChecks;
import dev.remedy.execute.ApplyRunner;
import dev.remedy.execute.DryRun;
import dev.remedy.execute.Journal;
import dev.remedy.execute.NodeActions;
import dev.remedy.execute.PodNodeActions;
import dev.remedy.execute.ScriptNodeActions;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.facts.live.ClusterConnection;
import dev.remedy.plan.PlanVerifier;
import dev.remedy.plan.PlanYaml;
import dev.remedy.plan.RemediationPlan;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubectl remedy apply PLAN}: dry-run it in staging, then apply it wave by wave. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Applies a plan wave by wave, by default as a server dry-run.",
            "A dry run sends every API write with dryRun=All; node actions only check their preconditions and print"
                    + " their scripts.",
            "--dry-run=none executes, checking every precondition again right before each wave, journaling each step"
                    + " next to the plan."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Finished, nothing to do, or the dry run passed.",
            "1:An action or a check failed; see the journal, fix, then --resume.",
            "3:A target changed since planning; nothing of that wave was touched. Make a new plan.",
            "4:Paused at a step a person must do; do it, then --resume.",
            "5:A wave was not confirmed."
        })
final class ApplyCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file that `kubectl remedy plan` wrote.")
    Path planFile;

    @Option(
            names = "--dry-run",
            paramLabel = "MODE",
            defaultValue = "server",
            description = "server (default), client or none (execute).")
    DryRun dryRun;

    @Option(
            names = {"-y", "--yes"},
            description = "Apply every wave without asking.")
    boolean yes;

    @Option(names = "--resume", description = "Continue a run that stopped, from its journal.")
    boolean resume;

    @Option(
            names = "--node-exec",
            paramLabel = "HOW",
            defaultValue = "pod",
            description = "pod (a short-lived privileged pod on the node) or script (write scripts for ssh/Ansible).")
    NodeExec nodeExec;

    @Option(
            names = "--node-exec-namespace",
            paramLabel = "NS",
            defaultValue = "kube-system",
            description = "Namespace of the node pods (default: ${DEFAULT-VALUE}).")
    String nodeNamespace;

    @Option(
            names = "--node-exec-image",
            paramLabel = "IMAGE",
            defaultValue = "busybox:1.36",
            description = "Image of the node pods; it only needs chroot (default: ${DEFAULT-VALUE}).")
    String nodeImage;

    @Option(
            names = "--snapshot",
            paramLabel = "PATH",
            description = "The facts the plan was made from (needed with --node-exec=script for file edits).")
    Path snapshot;

    @Option(
            names = "--check-timeout",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description = "How long each check after a wave may take (default: ${DEFAULT-VALUE}).")
    long checkTimeout;

    @CommandLine.Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws IOException {
        RemediationPlan plan = PlanYaml.read(planFile);
        Snapshot facts = snapshot == null ? null : new SnapshotReader().read(snapshot, snapshot.toString());
        List<String> violations = new PlanVerifier(Integer.MAX_VALUE).verify(plan, facts);
        if (!violations.isEmpty()) {
            throw new UserException("The plan (" + planFile + ") breaks its own rules: " + String.join("; ", violations)
                    + ". Maybe it was edited by hand; make a new plan.");
        }
        try (ClusterConnection connection = ClusterConnection.open(cluster.target())) {
            KubernetesClient client = connection.client();
            NodeActions nodes = nodeExec == NodeExec.script
                    ? new ScriptNodeActions(
                            planFile.resolveSibling(planFile.getFileName() + ".scripts"),
                            plan.metadata().name(),
                            facts)
                    : new PodNodeActions(
                            client, nodeNamespace, nodeImage, Duration.ofMinutes(5), Duration.ofSeconds(2));
            ApplyRunner.Outcome outcome = new ApplyRunner(
                            plan,
                            Journal.of(planFile),
                            new ApiActions(client),
                            nodes,
                            new ApiChecks(client, Duration.ofSeconds(5)),
                            this::confirm,
                            spec.commandLine().getOut(),
                            new ApplyRunner.Settings(dryRun, yes, resume, Duration.ofSeconds(checkTimeout)),
                            Clock.systemUTC())
                    .run();
            return outcome.exitCode();
        }
    }

    /** Asks on the terminal; without one (CI, a pipe) the answer is no, and --yes is the way to go on. */
    private boolean confirm(String question) {
        if (System.console() == null) {
            return false;
        }
        spec.commandLine().getOut().print(question + " [y/N] ");
        spec.commandLine().getOut().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().equalsIgnoreCase("y");
        } catch (IOException e) {
            return false;
        }
    }

    /** How node actions are carried out. */
    enum NodeExec {
        pod,
        script
    }
}
