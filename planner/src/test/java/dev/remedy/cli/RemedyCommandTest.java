package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RemedyCommandTest {

    @Test
    void everyCommandsHelpFormatsWithoutAPicocliWarning() {
        // picocli formats descriptions with String.format: a lone % makes it print a warning to System.err.
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (String command : RemedyCommand.commandLine().getSubcommands().keySet()) {
                CliRun run = CliRun.of(command, "--help");
                assertThat(run.exitCode()).as(run.toString()).isZero();
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(CliRun.of("plan", "--help").out().replaceAll("\\s+", " "))
                .contains("(default: 1 up to 10 nodes, else 10%).");
    }

    @Test
    void theCommandListShowsEachCommandInWholeSentences() {
        // The list under "Commands:" shows only the first line of each description.
        for (CommandLine command : RemedyCommand.commandLine().getSubcommands().values()) {
            String[] description = command.getCommandSpec().usageMessage().description();
            assertThat(description).as(command.getCommandName()).isNotEmpty();
            assertThat(description[0]).as(command.getCommandName()).endsWith(".");
        }
    }
}
