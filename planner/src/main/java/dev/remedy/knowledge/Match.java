package dev.remedy.knowledge;

import dev.remedy.plan.ActionType;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario that fired on one subject, with everything rendered from the facts: the finding's text and each
 * candidate remedy's concrete actions. The planner chooses among the candidates.
 */
public record Match(
        Scenario scenario,
        Severity severity,
        ObjectRef subject,
        String summary,
        List<String> evidence,
        List<Candidate> candidates,
        Optional<Unresolved> unresolved) {

    /** One candidate remedy, applicable or not (then with the reason). */
    public record Candidate(
            String remedy, String title, Risk risk, boolean applicable, String notApplicable, List<Action> actions) {}

    /** A concrete action of a candidate remedy, before it is placed in a wave. */
    public record Action(
            ActionType type,
            String node,
            String path,
            ObjectRef target,
            Map<String, Object> change,
            List<Map<String, Object>> preconditions,
            List<Object> verify,
            Risk risk,
            String rationale) {}

    /** The reason and manual step when no candidate applies. */
    public record Unresolved(String reason, String instructions, String verify) {}
}
