package dev.remedy.review;

import dev.remedy.facts.Snapshot;
import dev.remedy.plan.PlanVerifier;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Wave;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says, for each wave boundary, why the actions after it could not run before it: a prerequisite in the wave
 * before, or the rule the verifier finds broken when the action is moved one wave earlier. Asking the
 * verifier keeps the explanation true to the rules whatever made the plan; an action that could have run
 * earlier is said to, honestly.
 */
public final class WaveExplainer {

    private WaveExplainer() {}

    public static List<String> explain(RemediationPlan plan, Snapshot snapshot, PlanVerifier verifier) {
        List<Wave> waves = plan.spec().waves();
        Map<String, PlannedAction> byId = new HashMap<>();
        Map<String, Integer> waveOf = new HashMap<>();
        for (Wave wave : waves) {
            for (PlannedAction action : wave.actions()) {
                byId.put(action.id(), action);
                waveOf.put(action.id(), wave.index());
            }
        }
        Set<String> baseline = new HashSet<>(verifier.verify(plan, snapshot));
        List<String> lines = new ArrayList<>();
        for (int k = 1; k < waves.size(); k++) {
            int earlier = waves.get(k - 1).index();
            for (PlannedAction action : waves.get(k).actions()) {
                lines.add("wave " + earlier + " | wave " + waves.get(k).index() + ": " + describe(action) + " "
                        + reason(plan, action, earlier, byId, waveOf, baseline, snapshot, verifier));
            }
        }
        return lines;
    }

    private static String reason(
            RemediationPlan plan,
            PlannedAction action,
            int earlier,
            Map<String, PlannedAction> byId,
            Map<String, Integer> waveOf,
            Set<String> baseline,
            Snapshot snapshot,
            PlanVerifier verifier) {
        for (String before : action.after()) {
            if (Integer.valueOf(earlier).equals(waveOf.get(before))) {
                return "waits for " + describe(byId.get(before)) + ", which runs in wave " + earlier;
            }
        }
        List<String> broken = new ArrayList<>(verifier.verify(moved(plan, action, earlier), snapshot));
        broken.removeAll(baseline);
        if (!broken.isEmpty()) {
            return "cannot join wave " + earlier + ": " + broken.get(0);
        }
        return "could have run in wave " + earlier + ": no rule forces it later";
    }

    private static RemediationPlan moved(RemediationPlan plan, PlannedAction action, int toWave) {
        List<Wave> waves = new ArrayList<>();
        for (Wave wave : plan.spec().waves()) {
            List<PlannedAction> actions = new ArrayList<>(wave.actions());
            actions.remove(action);
            if (wave.index() == toWave) {
                actions.add(action);
            }
            waves.add(new Wave(wave.index(), actions));
        }
        waves.removeIf(w -> w.actions().isEmpty());
        List<Wave> renumbered = new ArrayList<>();
        Map<Integer, Integer> index = new HashMap<>();
        for (Wave wave : waves) {
            index.put(wave.index(), renumbered.size() + 1);
            renumbered.add(new Wave(renumbered.size() + 1, wave.actions()));
        }
        return new RemediationPlan(
                plan.apiVersion(),
                plan.kind(),
                plan.metadata(),
                new RemediationPlan.Spec(
                        plan.spec().source(),
                        plan.spec().findings(),
                        renumbered,
                        plan.spec().unresolved()));
    }

    static String describe(PlannedAction action) {
        StringBuilder text = new StringBuilder(action.id()).append(" (").append(action.type());
        if (action.node() != null) {
            text.append(' ').append(action.node());
        } else if (action.target() != null) {
            text.append(' ').append(action.target());
        }
        return text.append(')').toString();
    }
}
