package dev.remedy.cli;

import dev.remedy.facts.DerivedFacts;
import dev.remedy.knowledge.Catalogue;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.knowledge.Scenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubectl remedy scenarios}: the catalogue of the knowledge base. */
@Command(
        name = "scenarios",
        mixinStandardHelpOptions = true,
        description = "Lists the failure scenarios the knowledge base recognises.",
        subcommands = {ScenariosCommand.List.class, ScenariosCommand.Facts.class})
final class ScenariosCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing command. Maybe `kubectl remedy scenarios list`.");
    }

    /** {@code kubectl remedy scenarios list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "One line per scenario (id, severity, incident, title), or the Markdown catalogue.")
    static final class List implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--knowledge-base",
                paramLabel = "DIR",
                description = "Scenarios in DIR instead of the bundled ones.")
        Path knowledgeBase;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FORMAT",
                defaultValue = "table",
                description =
                        "table or markdown (the catalogue in knowledge-base/README.md) (default: ${DEFAULT-VALUE}).")
        Format output;

        @Option(names = "--output-file", paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path outputFile;

        /** What the list is written as. */
        enum Format {
            table,
            markdown
        }

        @Override
        public Integer call() {
            KnowledgeBase scenarios =
                    knowledgeBase == null ? KnowledgeBase.bundled() : KnowledgeBase.load(knowledgeBase);
            String text = output == Format.markdown
                    ? Catalogue.markdown(scenarios, DerivedFacts.COLLECTIONS)
                    : table(scenarios);
            OutputOptions.write(spec, outputFile, text);
            return 0;
        }

        /** Columns as wide as their widest cell, three spaces apart, as kubectl prints tables. */
        private static String table(KnowledgeBase scenarios) {
            java.util.List<java.util.List<String>> rows = new ArrayList<>();
            rows.add(java.util.List.of("ID", "SEVERITY", "INCIDENT", "TITLE"));
            for (Scenario scenario : scenarios.scenarios()) {
                rows.add(java.util.List.of(
                        scenario.id(), scenario.severity().yaml(), scenario.incident(), scenario.title()));
            }
            int[] widths = new int[3];
            for (java.util.List<String> row : rows) {
                for (int column = 0; column < widths.length; column++) {
                    widths[column] = Math.max(widths[column], row.get(column).length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (java.util.List<String> row : rows) {
                for (int column = 0; column < widths.length; column++) {
                    out.append(row.get(column))
                            .append(" ".repeat(widths[column] - row.get(column).length() + 3));
                }
                out.append(row.get(3)).append(System.lineSeparator());
            }
            return out.toString();
        }
    }

    /** {@code kubectl remedy scenarios facts}: the fact collections a scenario's CEL can read. */
    @Command(
            name = "facts",
            mixinStandardHelpOptions = true,
            description = "The fact collections a scenario's match.each can name, and what one item is.")
    static final class Facts implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-28s %s%n", "COLLECTION", "ONE ITEM IS");
            DerivedFacts.COLLECTIONS.forEach((name, description) -> out.printf("%-28s %s%n", name, description));
            out.flush();
            return 0;
        }
    }
}
