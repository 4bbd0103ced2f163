package dev.remedy.solver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Drops the effects no placement of the findings can turn into a penalty: evictions from a budget that allows
 * more disruptions than all findings together could ever cause, touches of a target only one finding acts on,
 * and prerequisite links no other finding gives or needs. Every score stays what it was, so the solver makes
 * the same plan; it just carries fewer tuples through the constraint streams on every move (at 1,000 generated
 * nodes five of six evictions and every touch).
 */
final class InertEffects {

    private InertEffects() {}

    /** The assignments, in the same order, with each alternative stripped of its inert effects. */
    static List<RemedyAssignment> strip(List<RemedyAssignment> assignments) {
        Set<Budget> tightBudgets = tightBudgets(assignments);
        Map<String, Set<String>> findingsByTarget = new HashMap<>();
        Map<String, Set<String>> providers = new HashMap<>();
        Map<String, Set<String>> requirers = new HashMap<>();
        for (RemedyAssignment assignment : assignments) {
            String finding = assignment.getFindingId();
            for (Alternative alternative : assignment.getAlternatives()) {
                alternative.touches().forEach(t -> findingsByTarget
                        .computeIfAbsent(t.target(), k -> new HashSet<>())
                        .add(finding));
                alternative.provides().forEach(l -> providers
                        .computeIfAbsent(l.key(), k -> new HashSet<>())
                        .add(finding));
                alternative.requires().forEach(l -> requirers
                        .computeIfAbsent(l.key(), k -> new HashSet<>())
                        .add(finding));
            }
        }
        List<RemedyAssignment> stripped = new ArrayList<>(assignments.size());
        for (RemedyAssignment assignment : assignments) {
            String finding = assignment.getFindingId();
            List<Alternative> alternatives = assignment.getAlternatives().stream()
                    .map(a -> new Alternative(
                            a.findingId(),
                            a.remedyId(),
                            a.risk(),
                            a.actions(),
                            a.disruptedPods(),
                            a.nodeOutages(),
                            keep(a.evictions(), e -> tightBudgets.contains(e.budget())),
                            a.etcdOutages(),
                            a.apiserverOutages(),
                            keep(a.touches(), t -> othersThan(finding, findingsByTarget.get(t.target()))),
                            keep(a.provides(), l -> othersThan(finding, requirers.get(l.key()))),
                            keep(a.requires(), l -> othersThan(finding, providers.get(l.key())))))
                    .toList();
            stripped.add(new RemedyAssignment(finding, assignment.getSeverity(), alternatives));
        }
        return stripped;
    }

    /**
     * The budgets some set of placements could exceed: those whose allowed disruptions are fewer than the pods
     * of it that all findings together evict, each finding counted with its alternative that evicts the most.
     */
    static Set<Budget> tightBudgets(List<RemedyAssignment> assignments) {
        Map<Budget, Integer> mostEvicted = new HashMap<>();
        for (RemedyAssignment assignment : assignments) {
            Map<Budget, Integer> finding = new HashMap<>();
            for (Alternative alternative : assignment.getAlternatives()) {
                Map<Budget, Integer> pods = new HashMap<>();
                alternative.evictions().forEach(e -> pods.merge(e.budget(), e.pods(), Integer::sum));
                pods.forEach((budget, count) -> finding.merge(budget, count, Math::max));
            }
            finding.forEach((budget, count) -> mostEvicted.merge(budget, count, Integer::sum));
        }
        Set<Budget> tight = new HashSet<>();
        mostEvicted.forEach((budget, pods) -> {
            if (pods > budget.allowed()) {
                tight.add(budget);
            }
        });
        return tight;
    }

    private static boolean othersThan(String finding, Set<String> findings) {
        return findings != null && (findings.size() > 1 || !findings.contains(finding));
    }

    private static <T> List<T> keep(List<T> effects, Predicate<T> relevant) {
        if (effects.isEmpty()) {
            return effects;
        }
        List<T> kept = effects.stream().filter(relevant).toList();
        return kept.size() == effects.size() ? effects : kept;
    }
}
