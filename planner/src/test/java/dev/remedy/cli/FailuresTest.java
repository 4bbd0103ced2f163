package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FailuresTest {

    private static String handle(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = RemedyCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        CommandLine.ParseResult parseResult = commandLine.parseArgs(args);
        int exitCode =
                new Failures().handleExecutionException(new IllegalStateException("boom"), commandLine, parseResult);
        assertThat(exitCode).isEqualTo(70);
        return err.toString();
    }

    @Test
    void anInternalErrorIsOneLineWithoutDebug() {
        assertThat(handle("review", "plan.yaml"))
                .isEqualTo(
                        "error: internal: java.lang.IllegalStateException: boom. Maybe rerun with --debug and report the output.\n");
    }

    @Test
    void debugOnAnySubcommandAddsTheStackTrace() {
        assertThat(handle("review", "plan.yaml", "--debug"))
                .contains("error: internal:", "\tat dev.remedy.cli.FailuresTest");
    }
}
