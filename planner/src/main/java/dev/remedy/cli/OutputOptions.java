package dev.remedy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code -o yaml|json} and {@code --output-file}: where and how a command writes its document. */
final class OutputOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "yaml",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path file;

    boolean json() {
        return format == Format.json;
    }

    /** Writes {@code text} to the output file, creating its directory, or to stdout. */
    void write(String text) {
        write(spec, file, text);
    }

    /** Writes {@code text} to {@code file}, creating its directory, or to the command's stdout when it is null. */
    static void write(CommandLine.Model.CommandSpec spec, Path file, String text) {
        if (file == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException("The output file (" + file + ") cannot be written: " + e.getMessage()
                    + ". Maybe check the directory exists and is writable.");
        }
    }

    /** The formats a document can be written in. */
    enum Format {
        yaml,
        json
    }
}
