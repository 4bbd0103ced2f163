package dev.remedy.solver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GreedyWavePlannerTest {

    private static Match.Action action(ActionType type, String node) {
        return new Match.Action(
                type, node, null, new ObjectRef("Node", null, node, node), null, List.of(), List.of(), Risk.MEDIUM, "");
    }

    private static SchedulingProblem.FindingOptions drain(String finding, String node) {
        return new SchedulingProblem.FindingOptions(
                finding,
                Severity.CRITICAL,
                List.of(new SchedulingProblem.Option(
                        "upgrade",
                        Risk.MEDIUM,
                        List.of(action(ActionType.CordonNode, node), action(ActionType.DrainNode, node)))));
    }

    private static Map<String, Integer> drainWaves(Schedule schedule) {
        return schedule.steps().stream()
                .filter(s -> s.action().type() == ActionType.DrainNode)
                .collect(java.util.stream.Collectors.toMap(s -> s.action().node(), Schedule.Step::wave));
    }

    @Test
    void startsAFindingLaterWhenItsDrainWouldTakeMoreNodesOutThanAllowed() {
        Schedule schedule = new GreedyWavePlanner()
                .schedule(new SchedulingProblem(
                        List.of(drain("F1", "a"), drain("F2", "b"), drain("F3", "c")), null, null, 1));

        assertThat(drainWaves(schedule))
                .containsEntry("a", 2)
                .containsEntry("b", 3)
                .containsEntry("c", 4);
    }

    @Test
    void drainsSideBySideWhereTheBlastRadiusAllows() {
        Schedule schedule = new GreedyWavePlanner()
                .schedule(new SchedulingProblem(List.of(drain("F1", "a"), drain("F2", "b")), null, null, 2));

        assertThat(drainWaves(schedule)).containsEntry("a", 2).containsEntry("b", 2);
    }

    @Test
    void neverActsTwiceOnTheSameTargetInOneWave() {
        Schedule schedule = new GreedyWavePlanner()
                .schedule(new SchedulingProblem(List.of(drain("F1", "a"), drain("F2", "a")), null, null, 5));

        assertThat(schedule.steps())
                .filteredOn(s -> s.findingId().equals("F2"))
                .extracting(Schedule.Step::wave)
                .containsExactly(3, 4);
    }
}
