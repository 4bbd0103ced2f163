package dev.remedy.knowledge;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.Risk;
import dev.remedy.plan.Severity;
import java.util.List;

/**
 * One scenario file, {@code knowledge-base/<id>.yaml}, exactly as written: what it matches (CEL over derived
 * facts), the finding it reports, and its candidate remedies. Read strictly: an unknown field is an error.
 */
record ScenarioSpec(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String title,
        @JsonProperty(required = true) Severity severity,
        @JsonProperty(required = true) String incident,
        String description,
        @JsonProperty(required = true) MatchSpec match,
        @JsonProperty(required = true) TemplateNode summary,
        List<TemplateNode> evidence,
        List<RemedySpec> remedies,
        UnresolvedSpec unresolved,
        EscalateSpec escalate) {

    /** A higher severity for the findings that meet {@code when}: an expired certificate, not an expiring one. */
    record EscalateSpec(
            @JsonProperty(required = true) Severity severity,
            @JsonProperty(required = true) TemplateNode when) {}

    /** Which derived facts to look at ({@code each}) and the condition one of them must meet ({@code when}). */
    record MatchSpec(
            @JsonProperty(required = true) String each,
            @JsonProperty(required = true) TemplateNode when) {}

    /**
     * One alternative: the actions that together resolve the finding, and an honest risk. {@code when} limits
     * where it applies; {@code notApplicable} says why, for the reviewer, where it does not.
     */
    record RemedySpec(
            @JsonProperty(required = true) String id,
            @JsonProperty(required = true) String title,
            @JsonProperty(required = true) Risk risk,
            TemplateNode when,
            TemplateNode notApplicable,
            @JsonProperty(required = true) List<ActionSpec> actions) {}

    /** One action of a remedy; every field but {@code type} may use {@code ${...}} templates. */
    record ActionSpec(
            @JsonProperty(required = true) ActionType type,
            TemplateNode forEach,
            TemplateNode node,
            TemplateNode path,
            TemplateNode target,
            TemplateNode change,
            TemplateNode preconditions,
            TemplateNode verify,
            Risk risk,
            @JsonProperty(required = true) TemplateNode rationale) {}

    /** What the plan says when no remedy applies: the reason and the manual step a person must take. */
    record UnresolvedSpec(
            @JsonProperty(required = true) TemplateNode reason,
            @JsonProperty(required = true) TemplateNode instructions,
            TemplateNode verify) {}
}
