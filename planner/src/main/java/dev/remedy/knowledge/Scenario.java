package dev.remedy.knowledge;

import dev.remedy.plan.ActionType;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A loaded, compiled scenario of the knowledge base. */
public record Scenario(
        String id,
        String title,
        Severity severity,
        String incident,
        String description,
        String each,
        Expression when,
        Template summary,
        List<Template> evidence,
        List<Remedy> remedies,
        Optional<UnresolvedTemplate> unresolved,
        Optional<Escalation> escalate) {

    /** The severity of one finding: {@code escalate}'s when its condition holds, else the scenario's. */
    public Severity severityOf(Map<String, ?> variables) {
        return escalate.filter(e -> e.when().test(variables))
                .map(Escalation::severity)
                .orElse(severity);
    }

    /** A higher severity for the findings that meet {@code when}. */
    public record Escalation(Severity severity, Expression when) {}

    /** One alternative remedy; {@code when} limits where it applies. */
    public record Remedy(
            String id,
            String title,
            Risk risk,
            Optional<Expression> when,
            Template notApplicable,
            List<ActionTemplate> actions) {}

    /** One action to render per match (or per element of {@code forEach}). */
    public record ActionTemplate(
            ActionType type,
            Optional<Expression> forEach,
            Template node,
            Template path,
            Template target,
            Template change,
            Template preconditions,
            Template verify,
            Optional<Risk> risk,
            Template rationale) {}

    /** The reason and manual step written into the plan when no remedy applies. */
    public record UnresolvedTemplate(Template reason, Template instructions, Template verify) {}
}
