package dev.remedy.solver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The greedy planner keeps each wave within the node budget and never acts twice on one target in a wave. */
class GreedyWavePlannerTest {

    private static Match.Action action(ActionType type, String node, String path) {
        return new Match.Action(type, node, path, null, Map.of(), List.of(), List.of(), Risk.MEDIUM, "why");
    }

    private static SchedulingProblem.FindingOptions finding(String id, Match.Action... actions) {
        return new SchedulingProblem.FindingOptions(
                id, Severity.CRITICAL, List.of(new SchedulingProblem.Option("remedy", Risk.MEDIUM, List.of(actions))));
    }

    @Test
    void restartsOnTwoNodesGoToTwoWavesWhenOneNodeMayBeDown() {
        Schedule schedule = new GreedyWavePlanner()
                .schedule(new SchedulingProblem(
                        List.of(
                                finding(
                                        "F1",
                                        action(ActionType.MoveNodeFile, "a", "/x"),
                                        action(ActionType.RestartNodeService, "a", null)),
                                finding(
                                        "F2",
                                        action(ActionType.MoveNodeFile, "b", "/x"),
                                        action(ActionType.RestartNodeService, "b", null))),
                        null,
                        null,
                        1));

        assertThat(schedule.steps())
                .extracting(s -> s.findingId() + "#" + s.position() + "@" + s.wave())
                .containsExactly("F1#0@1", "F1#1@2", "F2#0@1", "F2#1@3");
    }

    @Test
    void twoActionsOnOneNodeFileNeverShareAWave() {
        Schedule schedule = new GreedyWavePlanner()
                .schedule(new SchedulingProblem(
                        List.of(
                                finding("F1", action(ActionType.EditNodeFile, "a", "/etc/x")),
                                finding("F2", action(ActionType.EditNodeFile, "a", "/etc/x"))),
                        null,
                        null,
                        1));

        assertThat(schedule.steps()).extracting(Schedule.Step::wave).containsExactly(1, 2);
    }
}
