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
        Map<String, String> findingsByTarget = new HashMap<>();
        Map<String, String> providers = new HashMap<>();
        Map<String, String> requirers = new HashMap<>();
        for (RemedyAssignment assignment : assignments) {
            String finding = assignment.getFindingId();
            for (Alternative alternative : assignment.getAlternatives()) {
                for (Alternative.Touch touch : alternative.touches()) {
                    note(findingsByTarget, touch.target(), finding);
                }
                for (Alternative.Link link : alternative.provides()) {
                    note(providers, link.key(), finding);
                }
                for (Alternative.Link link : alternative.requires()) {
                    note(requirers, link.key(), finding);
                }
            }
        }
        List<RemedyAssignment> stripped = new ArrayList<>(assignments.size());
        for (RemedyAssignment assignment : assignments) {
            String finding = assignment.getFindingId();
            List<Alternative> alternatives =
                    new ArrayList<>(assignment.getAlternatives().size());
            for (Alternative a : assignment.getAlternatives()) {
                List<Alternative.Eviction> evictions = keep(a.evictions(), e -> tightBudgets.contains(e.budget()));
                List<Alternative.Touch> touches =
                        keep(a.touches(), t -> othersThan(finding, findingsByTarget.get(t.target())));
                List<Alternative.Link> provides = keep(a.provides(), l -> othersThan(finding, requirers.get(l.key())));
                List<Alternative.Link> requires = keep(a.requires(), l -> othersThan(finding, providers.get(l.key())));
                alternatives.add(
                        evictions == a.evictions()
                                        && touches == a.touches()
                                        && provides == a.provides()
                                        && requires == a.requires()
                                ? a
                                : new Alternative(
                                        a.findingId(),
                                        a.remedyId(),
                                        a.risk(),
                                        a.actions(),
                                        a.disruptedPods(),
                                        a.nodeOutages(),
                                        evictions,
                                        a.etcdOutages(),
                                        a.apiserverOutages(),
                                        touches,
                                        provides,
                                        requires));
            }
            stripped.add(new RemedyAssignment(finding, assignment.getSeverity(), List.copyOf(alternatives)));
        }
        return stripped;
    }

    /** Another finding than the one noted already, when there is one: one string per key, not a set. */
    private static final String SEVERAL = new String("several findings");

    /** Notes that {@code finding} has an effect of this key: the only finding that has so far, or several. */
    private static void note(Map<String, String> findings, String key, String finding) {
        String noted = findings.putIfAbsent(key, finding);
        if (noted != null && noted != SEVERAL && !noted.equals(finding)) {
            findings.put(key, SEVERAL);
        }
    }

    /**
     * The budgets some set of placements could exceed: those whose allowed disruptions are fewer than the pods
     * of it that all findings together evict, each finding counted with its alternative that evicts the most.
     */
    static Set<Budget> tightBudgets(List<RemedyAssignment> assignments) {
        Map<Budget, Integer> mostEvicted = new HashMap<>();
        for (RemedyAssignment assignment : assignments) {
            if (assignment.getAlternatives().size() == 1) {
                // Its only alternative evicts the most: its pods of each budget, summed.
                for (Alternative.Eviction eviction :
                        assignment.getAlternatives().get(0).evictions()) {
                    mostEvicted.merge(eviction.budget(), eviction.pods(), Integer::sum);
                }
                continue;
            }
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

    /** Whether a finding other than {@code finding} has an effect of the key {@link #note noted} so. */
    private static boolean othersThan(String finding, String noted) {
        return noted != null && (noted == SEVERAL || !noted.equals(finding));
    }

    /** The effects that are relevant: the same list when all are. */
    private static <T> List<T> keep(List<T> effects, Predicate<T> relevant) {
        for (int i = 0; i < effects.size(); i++) {
            if (!relevant.test(effects.get(i))) {
                List<T> kept = new ArrayList<>(effects.subList(0, i));
                for (int j = i + 1; j < effects.size(); j++) {
                    if (relevant.test(effects.get(j))) {
                        kept.add(effects.get(j));
                    }
                }
                return List.copyOf(kept);
            }
        }
        return effects;
    }
}
