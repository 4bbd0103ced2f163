package dev.remedy.cli;

import dev.remedy.facts.SnapshotException;
import dev.remedy.facts.live.ClusterException;
import dev.remedy.knowledge.KnowledgeBaseException;
import dev.remedy.plan.PlanException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one place failures become output: a single actionable line on stderr and a documented exit code. A
 * stack trace is printed only for internal errors with {@code --debug}.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    static final int INPUT = 1;
    static final int USAGE = 2;
    static final int INTERNAL = 70;

    @Override
    public int handleExecutionException(
            Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (exception instanceof SnapshotException
                || exception instanceof ClusterException
                || exception instanceof KnowledgeBaseException
                || exception instanceof PlanException
                || exception instanceof UserException) {
            err.println("error: " + exception.getMessage());
            err.flush();
            return INPUT;
        }
        err.println("error: internal: " + exception + ". Maybe rerun with --debug and report the output.");
        if (parseResult.originalArgs().contains("--debug")) {
            exception.printStackTrace(err);
        }
        err.flush();
        return INTERNAL;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String message = exception.getMessage();
        if (!message.endsWith(".")) {
            message += ".";
        }
        err.println("error: " + message + " Maybe see '"
                + commandLine.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return USAGE;
    }
}
