package dev.remedy.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.cli.CliRun;
import dev.remedy.facts.DerivedFacts;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** knowledge-base/README.md is what the CLI writes from the scenarios and fact collections, byte for byte. */
class CatalogueTest {

    @Test
    void theCommittedCatalogueIsWhatTheCliWrites() throws IOException {
        CliRun run = CliRun.of(
                "scenarios",
                "list",
                "-o",
                "markdown",
                "--knowledge-base",
                RepoPaths.knowledgeBase().toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .as("knowledge-base/README.md is stale. Maybe run plans/regenerate and review the diff.")
                .isEqualTo(Files.readString(RepoPaths.knowledgeBase().resolve("README.md")));
    }

    @Test
    void theCatalogueNamesEveryScenarioAndEveryFactCollection() {
        KnowledgeBase knowledgeBase = KnowledgeBase.load(RepoPaths.knowledgeBase());

        String markdown = Catalogue.markdown(knowledgeBase, DerivedFacts.COLLECTIONS);

        knowledgeBase.scenarios().forEach(s -> assertThat(markdown).contains("| `" + s.id() + "` |"));
        DerivedFacts.COLLECTIONS.keySet().forEach(c -> assertThat(markdown).contains("| `" + c + "` |"));
        assertThat(markdown).contains("| warning, critical when `subject.expired` |");
    }
}
