package dev.remedy.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InertEffectsTest {

    private static final Budget LOOSE = new Budget("shop/web", 3);
    private static final Budget TIGHT = new Budget("shop/db", 1);

    @Test
    void dropsEvictionsOnlyFromBudgetsNoPlacementCanExceed() {
        List<RemedyAssignment> stripped = InertEffects.strip(List.of(
                finding(
                        "F1",
                        Alternatives.of("F1").evicts(0, LOOSE, 1).evicts(0, TIGHT, 1),
                        Alternatives.of("F1").remedy("reboot", Risk.HIGH).evicts(0, LOOSE, 2)),
                finding("F2", Alternatives.of("F2").evicts(0, LOOSE, 1).evicts(0, TIGHT, 1))));

        assertThat(stripped.get(0).getAlternatives().get(0).evictions())
                .containsExactly(new Alternative.Eviction(0, TIGHT, 1));
        assertThat(stripped.get(0).getAlternatives().get(1).evictions()).isEmpty();
        assertThat(stripped.get(1).getAlternatives().get(0).evictions())
                .containsExactly(new Alternative.Eviction(0, TIGHT, 1));
    }

    @Test
    void keepsTheEvictionsOfABudgetTheFindingsCanExceedTogether() {
        List<RemedyAssignment> stripped = InertEffects.strip(List.of(
                finding("F1", Alternatives.of("F1").evicts(0, LOOSE, 2)),
                finding("F2", Alternatives.of("F2").evicts(0, LOOSE, 2))));

        assertThat(stripped)
                .allSatisfy(
                        a -> assertThat(a.getAlternatives().get(0).evictions()).hasSize(1));
    }

    @Test
    void dropsTouchesOfTargetsOneFindingActsOn() {
        List<RemedyAssignment> stripped = InertEffects.strip(List.of(
                finding(
                        "F1",
                        Alternatives.of("F1").actions(2).touches(0, "node n1").touches(1, "node n1")),
                finding("F2", Alternatives.of("F2").touches(0, "node n2").touches(0, "etcd cluster")),
                finding("F3", Alternatives.of("F3").touches(0, "etcd cluster"))));

        assertThat(stripped.get(0).getAlternatives().get(0).touches()).isEmpty();
        assertThat(stripped.get(1).getAlternatives().get(0).touches())
                .containsExactly(new Alternative.Touch(0, "etcd cluster"));
        assertThat(stripped.get(2).getAlternatives().get(0).touches())
                .containsExactly(new Alternative.Touch(0, "etcd cluster"));
    }

    @Test
    void keepsOnlyPrerequisitesAnotherFindingGivesOrNeeds() {
        List<RemedyAssignment> stripped = InertEffects.strip(List.of(
                finding("F1", Alternatives.of("F1").provides(0, "etcd snapshot")),
                finding(
                        "F2",
                        Alternatives.of("F2")
                                .actions(3)
                                .requires(0, "etcd snapshot")
                                .provides(1, "drained n1")
                                .requires(2, "drained n1")
                                .provides(2, "node work on n1")),
                finding("F3", Alternatives.of("F3").requires(0, "cordoned n3"))));

        assertThat(stripped.get(0).getAlternatives().get(0).provides())
                .containsExactly(new Alternative.Link(0, "etcd snapshot"));
        assertThat(stripped.get(1).getAlternatives().get(0).requires())
                .containsExactly(new Alternative.Link(0, "etcd snapshot"));
        assertThat(stripped.get(1).getAlternatives().get(0).provides()).isEmpty();
        assertThat(stripped.get(2).getAlternatives().get(0).requires()).isEmpty();
    }

    @Test
    void keepsTheFindingsAndTheirOrder() {
        List<RemedyAssignment> assignments = List.of(
                finding("F2", Alternatives.of("F2").touches(0, "node n2")),
                finding("F1", Alternatives.of("F1"), Alternatives.of("F1").remedy("reboot", Risk.HIGH)));

        assertThat(InertEffects.strip(assignments))
                .extracting(
                        RemedyAssignment::getFindingId, a -> a.getAlternatives().size())
                .containsExactly(tuple("F2", 1), tuple("F1", 2));
    }

    private static RemedyAssignment finding(String id, Alternatives... alternatives) {
        return new RemedyAssignment(
                id,
                Severity.WARNING,
                Arrays.stream(alternatives).map(Alternatives::build).toList());
    }
}
