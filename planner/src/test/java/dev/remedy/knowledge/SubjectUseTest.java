package dev.remedy.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubjectUseTest {

    private static final CelEnvironment ENVIRONMENT = new CelEnvironment();

    private static SubjectUse use(String source) {
        CelEnvironment.Compiled compiled = ENVIRONMENT.compile(source);
        assertThat(compiled.ok()).as(compiled.error()).isTrue();
        return compiled.subjectUse();
    }

    @Test
    void readsTheTopLevelFieldsSelectedAndRequiresThoseTestedWithHasInTheConjunction() {
        SubjectUse use = use("has(subject.imagePull) && !('imagePull' in subject.reportedWith)"
                + " && (!has(subject.phase) || subject.phase != 'Succeeded')"
                + " && subject.containers.exists(c, c.ready) && cluster.nodeCount > 0");

        assertThat(use.whole()).isFalse();
        assertThat(use.fields()).containsExactly("containers", "imagePull", "phase", "reportedWith");
        assertThat(use.required()).containsExactly("imagePull");
    }

    @Test
    void aHasUnderAnOrOrANegationRequiresNothing() {
        assertThat(use("has(subject.a) || has(subject.b)").required()).isEmpty();
        assertThat(use("!has(subject.a) && subject.b == 1").required()).isEmpty();
    }

    @Test
    void theSubjectUsedAsAWholeValueIsReadWhole() {
        assertThat(use("size(subject) > 0").whole()).isTrue();
        assertThat(use("'phase' in subject").whole()).isTrue();
        assertThat(use("subject['phase'] == 'Running'").whole()).isTrue();
        assertThat(use("subject.?phase.orValue('') == 'Running'").whole()).isTrue();
        assertThat(use("subject.containers.exists(subject, subject.ready)").whole())
                .isTrue();
    }

    @Test
    void mayHoldOnlyOnItemsWithEveryRequiredFieldKnown() {
        SubjectUse use = use("has(subject.unschedulable) && has(subject.workload) && subject.ready == false");
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("unschedulable", Map.of("causes", List.of()));
        missing.put("workload", null);

        assertThat(use.mayHold(Map.of("unschedulable", Map.of(), "workload", Map.of())))
                .isTrue();
        assertThat(use.mayHold(missing)).isFalse();
        assertThat(use.mayHold(Map.of("ready", false))).isFalse();
        assertThat(SubjectUse.WHOLE.mayHold(Map.of())).isTrue();
    }

    @Test
    void aSizeAboveZeroInTheConjunctionRulesOutItemsWhoseFieldIsEmpty() {
        SubjectUse use = use("has(subject.missingReferences) && size(subject.missingReferences) > 0"
                + " && subject.name.size() > 0 && !subject.ready");

        assertThat(use.nonEmpty()).containsExactly("missingReferences", "name");
        assertThat(use.mayHold(Map.of("missingReferences", List.of("Secret app/db"), "name", "web-1")))
                .isTrue();
        assertThat(use.mayHold(Map.of("missingReferences", List.of(), "name", "web-1")))
                .isFalse();
        assertThat(use.mayHold(Map.of("missingReferences", List.of("Secret app/db"), "name", "")))
                .isFalse();
        assertThat(use("size(subject.a) > 1 && size(subject.b) >= 1 && (size(subject.c) > 0 || true)")
                        .nonEmpty())
                .isEmpty();
    }

    @Test
    void aComparisonWithAConstantInTheConjunctionRulesOutItemsWhoseFieldFailsIt() {
        SubjectUse use = use("subject.blocksAll && !subject.ready && subject.expectedPods > 0"
                + " && 3 >= subject.restarts && subject.matching == 0");
        Map<String, Object> holds =
                Map.of("blocksAll", true, "ready", false, "expectedPods", 2, "restarts", 3L, "matching", 0);

        assertThat(use.comparisons())
                .extracting(SubjectUse.Comparison::field)
                .containsExactly("blocksAll", "ready", "expectedPods", "restarts", "matching");
        assertThat(use.mayHold(holds)).isTrue();
        assertThat(use.mayHold(Map.of())).isTrue();
        for (Map.Entry<String, Object> failing : Map.<String, Object>of(
                        "blocksAll", false, "ready", true, "expectedPods", 0, "restarts", 4, "matching", 1L)
                .entrySet()) {
            Map<String, Object> item = new LinkedHashMap<>(holds);
            item.put(failing.getKey(), failing.getValue());
            assertThat(use.mayHold(item)).as(failing.getKey()).isFalse();
        }
    }

    @Test
    void aComparedFieldOfAnotherTypeOrUnderAnOrIsLeftToCel() {
        assertThat(use("subject.count > 0").mayHold(Map.of("count", 0.5))).isTrue();
        assertThat(use("subject.count > 0").mayHold(Map.of("count", "none"))).isTrue();
        assertThat(use("subject.a == 1 || subject.b").comparisons()).isEmpty();
        assertThat(use("has(subject.a) && !has(subject.b) && subject.c > cluster.nodeCount")
                        .comparisons())
                .isEmpty();
    }
}
