package dev.remedy.solver;

import dev.remedy.knowledge.Match;
import java.util.List;
import java.util.Map;

/**
 * A {@link WavePlanner}'s answer: the chosen alternative per finding, and every action of the chosen
 * alternatives placed in a wave (waves numbered from 1, without gaps).
 */
public record Schedule(Map<String, String> chosenRemedy, List<Step> steps) {

    /**
     * One placed action: the {@code position}-th action of its finding's chosen alternative, in {@code wave}.
     */
    public record Step(String findingId, int position, Match.Action action, int wave) {}
}
