package dev.remedy.risks;

import dev.remedy.facts.Snapshot;
import dev.remedy.plan.Finding;
import dev.remedy.plan.PlanException;
import dev.remedy.plan.PlanVerifier;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Wave;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code risks} from facts to report: builds the model, finds the minimal event sets that cause outages, plans
 * their prevention, verifies each risk by re-simulating its events on the prevented state, and runs the whole
 * analysis again there.
 */
public final class RiskPlanner {

    private final int depth;

    public RiskPlanner(int depth) {
        this.depth = depth;
    }

    /** The report for the cluster as it is. */
    public RiskReport report(Snapshot snapshot, Instant now) {
        ClusterModel model = ModelReader.read(snapshot, now);
        return report(snapshot, model, RiskAnalysis.analyze(model, depth), now, null, null, Set.of());
    }

    /**
     * The report for the cluster with {@code change} applied, keeping only the risks the change adds: event
     * sets and outages that the unchanged cluster does not have.
     */
    public RiskReport reportChange(Snapshot snapshot, ProposedChange change, Instant now) {
        ClusterModel before = ModelReader.read(snapshot, now);
        RiskAnalysis.Result baseline = RiskAnalysis.analyze(before, depth);
        Set<String> known = baseline.risks().stream()
                .flatMap(f -> f.outages().stream().map(o -> f.id() + " " + o.key()))
                .collect(Collectors.toSet());
        ClusterModel after = change.applyTo(before);
        RiskAnalysis.Result changed = RiskAnalysis.analyze(after, depth);
        List<RiskAnalysis.Found> added = new ArrayList<>();
        for (RiskAnalysis.Found found : changed.risks()) {
            List<Outage> fresh = found.outages().stream()
                    .filter(o -> !known.contains(found.id() + " " + o.key()))
                    .toList();
            if (!fresh.isEmpty()) {
                added.add(new RiskAnalysis.Found(found.events(), fresh, found.simulation()));
            }
        }
        RiskAnalysis.Result result = new RiskAnalysis.Result(changed.events(), added, changed.stats());
        return report(
                snapshot,
                after,
                result,
                now,
                change.describe(),
                baseline.risks().size(),
                change.workloads());
    }

    private RiskReport report(
            Snapshot snapshot,
            ClusterModel model,
            RiskAnalysis.Result result,
            Instant now,
            String change,
            Integer baselineRisks,
            Set<String> proposed) {
        Map<String, RiskAnalysis.Found> byId = new LinkedHashMap<>();
        for (RiskAnalysis.Found found : result.risks()) {
            byId.put("R" + (byId.size() + 1), found);
        }
        Prevention.Result prevention = Prevention.prevent(model, byId, Optional.of(snapshot), proposed);
        RemediationPlan plan = plan(snapshot, now, byId, prevention);
        Map<String, List<String>> actionsByRisk = new TreeMap<>();
        for (Wave wave : plan.spec().waves()) {
            for (PlannedAction action : wave.actions()) {
                action.resolves().forEach(r -> actionsByRisk
                        .computeIfAbsent(r, k -> new ArrayList<>())
                        .add(action.id()));
            }
        }
        Map<String, RiskEvent> preventedEvents = new HashMap<>();
        EventCatalog.events(prevention.prevented()).forEach(e -> preventedEvents.put(e.id(), e));
        // Each risk's events on the prevented state, re-simulated on every core; null where one no longer happens.
        List<List<RiskEvent>> replayed = byId.values().stream()
                .map(f -> f.events().stream()
                        .map(e -> preventedEvents.get(e.id()))
                        .toList())
                .toList();
        List<Simulation> resimulated = new Simulations(prevention.prevented())
                .map(
                        replayed.size(),
                        (simulator, k) -> replayed.get(k).contains(null) ? null : simulator.simulate(replayed.get(k)));
        List<RiskReport.ReportedRisk> risks = new ArrayList<>();
        Iterator<Simulation> resimulatedInOrder = resimulated.iterator();
        byId.forEach((id, found) -> {
            List<String> actions = actionsByRisk.getOrDefault(id, List.of());
            String check;
            boolean verified;
            Simulation simulation = resimulatedInOrder.next();
            if (simulation == null) {
                verified = !actions.isEmpty();
                check = "on the prevented state the event no longer happens: "
                        + String.join(
                                ", ",
                                found.events().stream()
                                        .filter(e -> !preventedEvents.containsKey(e.id()))
                                        .map(RiskEvent::id)
                                        .toList());
            } else {
                Set<String> keys = found.outages().stream().map(Outage::key).collect(Collectors.toSet());
                List<String> still = simulation.outages().stream()
                        .map(Outage::key)
                        .filter(keys::contains)
                        .toList();
                verified = still.isEmpty();
                check = verified
                        ? "re-simulated on the prevented state: no outage"
                        : "re-simulated on the prevented state, still: " + String.join(", ", still);
            }
            risks.add(new RiskReport.ReportedRisk(
                    id,
                    found.severity(),
                    found.likelihood(),
                    found.events().stream()
                            .map(e -> new RiskReport.EventView(e.id(), e.type().id(), e.description()))
                            .toList(),
                    found.outages(),
                    found.simulation(),
                    new RiskReport.Prevented(
                            actions, verified, check, prevention.unresolved().get(id))));
        });
        RiskAnalysis.Result again = RiskAnalysis.analyze(prevention.prevented(), depth);
        List<String> remaining = again.risks().stream()
                .limit(20)
                .map(f -> f.id() + ": "
                        + String.join(
                                ", ", f.outages().stream().map(Outage::key).toList()))
                .toList();
        Map<String, Integer> byType = new TreeMap<>();
        result.events().forEach(e -> byType.merge(e.type().id(), 1, Integer::sum));
        RiskAnalysis.Stats stats = result.stats();
        RiskReport.Analysis analysis = new RiskReport.Analysis(
                depth,
                change,
                model.nodes.size(),
                model.pods.size(),
                model.nodesByZone.size(),
                stats.events(),
                byType,
                stats.possiblePairs(),
                stats.pairsEvaluated(),
                stats.pairsSkipped(),
                baselineRisks,
                stats.limits());
        return new RiskReport(
                RemediationPlan.API_VERSION,
                RiskReport.KIND,
                plan.metadata(),
                new RiskReport.Spec(
                        plan.spec().source(),
                        analysis,
                        risks,
                        plan,
                        new RiskReport.AfterPrevention(again.risks().size(), remaining)));
    }

    private static RemediationPlan plan(
            Snapshot snapshot, Instant now, Map<String, RiskAnalysis.Found> risks, Prevention.Result prevention) {
        List<Finding> findings = new ArrayList<>();
        risks.forEach((id, found) -> {
            Outage first = found.outages().get(0);
            List<String> evidence = new ArrayList<>();
            found.outages().forEach(o -> evidence.add(o.key() + ": " + o.detail()));
            evidence.add("placement: " + found.simulation().placement());
            findings.add(new Finding(
                    id,
                    "risk/" + first.kind(),
                    found.severity(),
                    first.subject(),
                    "if "
                            + String.join(
                                    " and ",
                                    found.events().stream()
                                            .map(RiskEvent::description)
                                            .toList()) + ": "
                            + String.join(
                                    ", ",
                                    found.outages().stream().map(Outage::key).toList()),
                    evidence,
                    List.of()));
        });
        Map<Integer, List<Prevention.Step>> byPhase = new TreeMap<>();
        prevention.steps().forEach(s -> byPhase.computeIfAbsent(s.phase(), p -> new ArrayList<>())
                .add(s));
        Map<String, String> ids = new HashMap<>();
        byPhase.values().forEach(steps -> steps.forEach(s -> ids.put(s.key(), "A" + (ids.size() + 1))));
        List<Wave> waves = new ArrayList<>();
        for (List<Prevention.Step> steps : byPhase.values()) {
            List<PlannedAction> actions = new ArrayList<>();
            for (Prevention.Step s : steps) {
                actions.add(new PlannedAction(
                        ids.get(s.key()),
                        s.type(),
                        s.node(),
                        s.path(),
                        s.target(),
                        s.change(),
                        s.preconditions(),
                        s.after().stream().map(ids::get).toList(),
                        List.copyOf(s.resolves()),
                        s.risk(),
                        s.rationale(),
                        List.of()));
            }
            waves.add(new Wave(waves.size() + 1, actions));
        }
        List<RemediationPlan.Unresolved> unresolved = new ArrayList<>();
        prevention
                .unresolved()
                .forEach((id, why) -> unresolved.add(new RemediationPlan.Unresolved(id, why, null, null)));
        RemediationPlan plan = RemediationPlan.of(
                new RemediationPlan.Metadata("risks-" + snapshot.fingerprint().substring(0, 12), now.toString()),
                new RemediationPlan.Spec(RemediationPlan.Source.of(snapshot), findings, waves, unresolved));
        List<String> violations = new PlanVerifier(1).verify(plan, snapshot);
        if (!violations.isEmpty()) {
            throw new PlanException("The prevention plan breaks the verifier's rules, so it was not written: "
                    + String.join("; ", violations) + ". Maybe report this with the snapshot.");
        }
        return plan;
    }
}
