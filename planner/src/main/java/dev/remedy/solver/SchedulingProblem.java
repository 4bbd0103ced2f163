package dev.remedy.solver;

import dev.remedy.facts.Snapshot;
import dev.remedy.knowledge.Match;
import dev.remedy.plan.Severity;
import java.util.List;

/**
 * What a {@link WavePlanner} decides on: for each finding, its applicable alternatives (each a chain of
 * actions, in order), and the snapshot the safety rules are checked against. The derived facts stay out: the
 * solver never reads them, and on a large cluster they are much of the heap.
 */
public record SchedulingProblem(List<FindingOptions> findings, Snapshot snapshot, int maxUnavailableNodes) {

    /** The alternatives of one finding; the first is the knowledge base's preferred one. */
    public record FindingOptions(String findingId, Severity severity, List<Option> options) {}

    /** One alternative: its id, its risk, and its actions, each to run after the one before it. */
    public record Option(String remedyId, dev.remedy.plan.Risk risk, List<Match.Action> actions) {}
}
