package dev.remedy.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeBaseTest {

    private static final String VALID = """
            id: demo
            title: Demo
            severity: warning
            incident: none
            match:
              each: nodes
              when: "!subject.ready"
            summary: "${subject.name} is not ready"
            evidence:
              - "node ${subject.name}"
            remedies:
              - id: cordon
                title: Cordon it
                risk: low
                actions:
                  - type: CordonNode
                    node: ${subject.name}
                    rationale: keeps pods away
            """;

    @TempDir
    Path dir;

    private KnowledgeBase load(String fileName, String content) throws IOException {
        Files.writeString(dir.resolve(fileName), content);
        return KnowledgeBase.load(dir);
    }

    @Test
    void loadsAValidScenario() throws IOException {
        KnowledgeBase knowledgeBase = load("demo.yaml", VALID);

        assertThat(knowledgeBase.scenarios()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("demo");
            assertThat(s.remedies())
                    .singleElement()
                    .extracting(Scenario.Remedy::id)
                    .isEqualTo("cordon");
        });
    }

    @Test
    void theBundledKnowledgeBaseLoads() {
        assertThat(KnowledgeBase.bundled().scenarios())
                .extracting(Scenario::id)
                .contains("static-pod-liveness-probe-too-tight", "kubelet-version-skew");
    }

    @Test
    void theRepositoryKnowledgeBaseLoadsFromItsDirectory() {
        assertThat(KnowledgeBase.load(RepoPaths.knowledgeBase()).scenarios()).isNotEmpty();
    }

    @Test
    void anUnknownFieldIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> load("demo.yaml", VALID.replace("incident: none", "incident: none\nseverty: x")))
                .isInstanceOf(KnowledgeBaseException.class)
                .hasMessageStartingWith("The knowledge-base file (demo.yaml) line 5: unknown field (severty).")
                .hasMessageContaining("Maybe one of ");
    }

    @Test
    void theIdMustEqualTheFileName() {
        assertThatThrownBy(() -> load("other.yaml", VALID))
                .hasMessage("The scenario file (other.yaml) line 1: declares id (demo). Maybe rename the file to"
                        + " demo.yaml or the id to other.");
    }

    @Test
    void aCelExpressionThatDoesNotCompileFailsWithItsLine() {
        assertThatThrownBy(() -> load("demo.yaml", VALID.replace("\"!subject.ready\"", "\"subject.ready &&\"")))
                .isInstanceOf(KnowledgeBaseException.class)
                .hasMessageStartingWith("The knowledge-base file (demo.yaml) line 7: the CEL expression"
                        + " (subject.ready &&) does not compile");
    }

    @Test
    void aTemplateThatDoesNotCompileFailsWithItsLine() {
        assertThatThrownBy(() -> load("demo.yaml", VALID.replace("${subject.name} is not", "${subject.name)} is not")))
                .hasMessageStartingWith("The knowledge-base file (demo.yaml) line 8: the CEL expression");
    }

    @Test
    void anUnknownActionTypeFailsWithTheKnownOnes() {
        assertThatThrownBy(() -> load("demo.yaml", VALID.replace("type: CordonNode", "type: DeleteNodeFile")))
                .hasMessageStartingWith("The knowledge-base file (demo.yaml) line 16: unknown value (DeleteNodeFile)"
                        + " for remedies[0].actions[0].type.")
                .hasMessageContaining("MoveNodeFile");
    }

    @Test
    void anUnknownFactCollectionFailsWithTheKnownOnes() {
        assertThatThrownBy(() -> load("demo.yaml", VALID.replace("each: nodes", "each: nodez")))
                .hasMessageContaining("match.each names an unknown fact collection (nodez)")
                .hasMessageContaining("nodes, staticPods");
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> load("demo.yaml", VALID.replace("title: Demo\n", "")))
                .hasMessageContaining("a required field is missing")
                .hasMessageContaining("title");
    }

    @Test
    void duplicateKeysAreAnError() {
        assertThatThrownBy(() -> load("demo.yaml", VALID.replace("incident: none", "incident: none\nincident: twice")))
                .hasMessageStartingWith("The knowledge-base file (demo.yaml) line 5: ")
                .hasMessageContaining("Duplicate field 'incident'");
    }

    @Test
    void aStrayFileIsAnError() throws IOException {
        Files.writeString(dir.resolve("notes.yml"), "x: 1\n");

        assertThatThrownBy(() -> load("demo.yaml", VALID))
                .hasMessage("The knowledge-base directory holds a stray file (notes.yml). Maybe rename it to"
                        + " <id>.yaml, or move it out of knowledge-base/.");
    }

    @Test
    void aScenarioNeedsRemediesOrAManualStep() {
        String noRemedy = VALID.substring(0, VALID.indexOf("remedies:"));

        assertThatThrownBy(() -> load("demo.yaml", noRemedy))
                .hasMessageContaining("has neither remedies nor unresolved");
    }

    @Test
    void aServiceRestartNamesItsServicesAsAList() throws IOException {
        String restart = VALID.replace(
                "      - type: CordonNode\n",
                "      - type: RestartNodeService\n"
                        + "        change:\n"
                        + "          services: [containerd, kubelet]\n");

        assertThat(load("demo.yaml", restart).scenarios()).hasSize(1);
    }

    @Test
    void theSingularServiceFieldIsAnErrorThatNamesTheFix() {
        String singular = VALID.replace(
                "      - type: CordonNode\n",
                "      - type: RestartNodeService\n" + "        change:\n" + "          service: kubelet\n");

        assertThatThrownBy(() -> load("demo.yaml", singular))
                .isInstanceOf(KnowledgeBaseException.class)
                .hasMessage("The knowledge-base file (demo.yaml) line 18: RestartNodeService names change.service"
                        + " (kubelet), which nothing reads. Maybe write change.services: [kubelet], the services to"
                        + " restart in order.");
    }

    @Test
    void aServiceRestartWithoutServicesIsAnError() {
        String none = VALID.replace("      - type: CordonNode\n", "      - type: RestartNodeService\n");

        assertThatThrownBy(() -> load("demo.yaml", none))
                .isInstanceOf(KnowledgeBaseException.class)
                .hasMessageContaining("(demo.yaml) line 18: RestartNodeService names no change.services");
    }
}
