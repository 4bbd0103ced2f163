package dev.remedy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl remedy}: the top-level command. As a kubectl plugin it is run as {@code kubectl-remedy}, so
 * its help always says {@code kubectl remedy}.
 */
@Command(
        name = "kubectl remedy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Plans safe remediation of a broken Kubernetes cluster, from a live cluster or a snapshot.",
        subcommands = {
            PlanCommand.class,
            RisksCommand.class,
            SnapshotCommand.class,
            ReviewCommand.class,
            ApplyCommand.class,
            ScenariosCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:The input could not be used (cluster, snapshot, knowledge base, plan); the message says which and why.",
            "2:Wrong usage: an unknown option or a missing argument.",
            "70:An internal error; rerun with --debug and report it."
        })
public final class RemedyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--debug",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an internal error.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing command. Maybe `kubectl remedy plan`, or `kubectl remedy snapshot --output-dir DIR`.");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line as {@code main} does, without exiting: for tests. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RemedyCommand());
        commandLine.setExecutionExceptionHandler(new Failures());
        commandLine.setParameterExceptionHandler(new Failures());
        return commandLine;
    }
}
