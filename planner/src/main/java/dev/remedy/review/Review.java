package dev.remedy.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.remedy.facts.Snapshot;
import dev.remedy.plan.PlanVerifier;
import dev.remedy.plan.RemediationPlan;
import java.util.List;

/**
 * What a reviewer needs to trust a plan besides the plan itself: whether the verifier finds it safe, why the
 * waves split where they do, and, given newer facts, what changed since planning.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"plan", "safe", "violations", "checkedAgainst", "waveBoundaries", "stale", "changes"})
public record Review(
        String plan,
        boolean safe,
        List<String> violations,
        String checkedAgainst,
        List<String> waveBoundaries,
        Boolean stale,
        List<String> changes) {

    /**
     * Reviews {@code plan}; {@code facts} are the facts it was made from or newer ones (a snapshot or a live
     * read), or null when only the plan is at hand.
     */
    public static Review of(RemediationPlan plan, Snapshot facts, int maxUnavailableNodes) {
        PlanVerifier verifier = new PlanVerifier(maxUnavailableNodes);
        List<String> violations = verifier.verify(plan, facts);
        List<String> boundaries = verifier.explain(plan, facts);
        if (facts == null) {
            return new Review(
                    plan.metadata().name(),
                    violations.isEmpty(),
                    violations,
                    "the plan alone: rules that need facts (quorum, budgets, capacity) were not checked",
                    boundaries,
                    null,
                    null);
        }
        List<String> changes = Staleness.check(plan, facts);
        return new Review(
                plan.metadata().name(),
                violations.isEmpty(),
                violations,
                facts.source(),
                boundaries,
                !Staleness.targetsUnchanged(changes),
                changes);
    }
}
