package dev.remedy.risks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Severity;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubectl remedy risks} writes: {@code kind: RiskReport}. Each risk is a minimal event set with the
 * outages it causes, how bad and how likely, and which actions of the prevention plan make it harmless, verified
 * by simulating the same events on the prevented state. The prevention plan is an ordinary RemediationPlan.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record RiskReport(String apiVersion, String kind, RemediationPlan.Metadata metadata, Spec spec) {

    public static final String KIND = "RiskReport";

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"source", "analysis", "risks", "prevention", "afterPrevention"})
    public record Spec(
            RemediationPlan.Source source,
            Analysis analysis,
            List<ReportedRisk> risks,
            RemediationPlan prevention,
            AfterPrevention afterPrevention) {}

    /** What was analysed and how the search was limited. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({
        "depth",
        "change",
        "nodes",
        "pods",
        "zones",
        "events",
        "eventsByType",
        "possiblePairs",
        "pairsEvaluated",
        "pairsSkipped",
        "baselineRisks",
        "limits"
    })
    public record Analysis(
            int depth,
            String change,
            int nodes,
            int pods,
            int zones,
            int events,
            Map<String, Integer> eventsByType,
            long possiblePairs,
            int pairsEvaluated,
            int pairsSkipped,
            Integer baselineRisks,
            List<String> limits) {}

    /** One minimal event set and what it causes. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"id", "severity", "likelihood", "events", "outages", "simulation", "prevention"})
    public record ReportedRisk(
            String id,
            Severity severity,
            Likelihood likelihood,
            List<EventView> events,
            List<Outage> outages,
            Simulation simulation,
            Prevented prevention) {}

    /** An event as the report names it. */
    @JsonPropertyOrder({"id", "type", "description"})
    public record EventView(String id, String type, String description) {}

    /** The plan's actions for one risk, and whether re-simulating its events on the prevented state is clean. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"actions", "verified", "check", "unresolved"})
    public record Prevented(List<String> actions, boolean verified, String check, String unresolved) {}

    /** The whole analysis run again on the prevented state. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"risks", "remaining"})
    public record AfterPrevention(int risks, List<String> remaining) {}
}
