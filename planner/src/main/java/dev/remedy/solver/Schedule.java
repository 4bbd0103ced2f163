package dev.remedy.solver;

import dev.remedy.knowledge.Match;
import java.util.List;
import java.util.Map;

/**
 * A {@link WavePlanner}'s answer: the chosen alternative per finding, and every action of the chosen
 * alternatives placed in a wave (waves numbered from 1; gaps allowed, the plan renumbers them).
 */
public record Schedule(Map<String, String> chosenRemedy, List<Step> steps) {

    /**
     * One placed action: the {@code position}-th action of its finding's chosen alternative, in {@code wave}.
     * {@code after} names the actions of other findings that must finish first (the chain within the
     * alternative is implied).
     */
    public record Step(String findingId, int position, Match.Action action, int wave, List<StepRef> after) {}

    /** The {@code position}-th action of finding {@code findingId}'s chosen alternative. */
    public record StepRef(String findingId, int position) {}
}
