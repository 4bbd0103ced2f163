package dev.remedy.plan;

import dev.remedy.Background;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotInfo;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.knowledge.Match;
import dev.remedy.knowledge.Matcher;
import dev.remedy.solver.Schedule;
import dev.remedy.solver.SchedulingProblem;
import dev.remedy.solver.WavePlanner;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a snapshot into a verified plan: derives facts, matches the knowledge base, lets the wave planner
 * choose and order remedies, and has the independent verifier re-check the result before anyone sees it.
 */
public final class Planner {

    private final KnowledgeBase knowledgeBase;
    private final WavePlanner wavePlanner;

    public Planner(KnowledgeBase knowledgeBase, WavePlanner wavePlanner) {
        this.knowledgeBase = knowledgeBase;
        this.wavePlanner = wavePlanner;
    }

    public RemediationPlan plan(Snapshot snapshot, PlanOptions options) {
        Instant now = options.now().orElseGet(() -> collectedAt(snapshot));
        // The verifier reads its own facts of the cluster from the snapshot alone, so it reads them on another
        // thread while this one derives facts and makes the plan (on a large cluster a pass over every pod); the
        // solver reads what it needs of every pod on a thread of its own.
        Background<ClusterFacts> verifierFacts =
                Background.start("plan-verifier-facts", () -> ClusterFacts.of(snapshot));
        WavePlanner solver = wavePlanner.forSnapshot(snapshot);
        DerivedFacts facts = DerivedFacts.derive(snapshot, now);
        Map<String, Match> byId = findings(snapshot, facts);
        int maxUnavailable = options.maxUnavailableNodes(snapshot.nodes().size());
        Schedule schedule = solver.schedule(problem(byId, snapshot, maxUnavailable));

        RemediationPlan plan = RemediationPlan.of(
                new RemediationPlan.Metadata("remedy-" + snapshot.fingerprint().substring(0, 12), now.toString()),
                new RemediationPlan.Spec(
                        RemediationPlan.Source.of(snapshot),
                        findings(byId, schedule),
                        waves(byId, schedule),
                        unresolved(byId, schedule)));
        List<String> violations = new PlanVerifier(maxUnavailable).verify(plan, verifierFacts.join());
        if (!violations.isEmpty()) {
            throw new PlanException("The planner made a plan that the verifier rejects, so it was not written: "
                    + String.join("; ", violations) + ". Maybe report this with the snapshot.");
        }
        return plan;
    }

    /**
     * What the knowledge base finds in the facts, most severe first, by finding id ({@code F1}, {@code F2}, ...),
     * with every file edit of a candidate made exact against the collected file.
     */
    public Map<String, Match> findings(Snapshot snapshot, DerivedFacts facts) {
        List<Match> matches = new ArrayList<>();
        for (Match match : new Matcher(knowledgeBase).match(facts)) {
            matches.add(new Match(
                    match.scenario(),
                    match.severity(),
                    match.subject(),
                    match.summary(),
                    match.evidence(),
                    match.candidates().stream()
                            .map(c -> FileChanges.render(c, snapshot))
                            .toList(),
                    match.unresolved()));
        }
        matches.sort(Comparator.comparing(Match::severity));
        Map<String, Match> byId = new LinkedHashMap<>();
        for (Match match : matches) {
            byId.put("F" + (byId.size() + 1), match);
        }
        return byId;
    }

    /** What the wave planner decides on: each finding's applicable candidates, least risky first. */
    public static SchedulingProblem problem(Map<String, Match> byId, Snapshot snapshot, int maxUnavailable) {
        List<SchedulingProblem.FindingOptions> problemFindings = new ArrayList<>();
        byId.forEach((id, match) -> problemFindings.add(new SchedulingProblem.FindingOptions(
                id,
                match.severity(),
                match.candidates().stream()
                        .filter(Match.Candidate::applicable)
                        .sorted(Comparator.comparing(Match.Candidate::risk))
                        .map(c -> new SchedulingProblem.Option(c.remedy(), c.risk(), c.actions()))
                        .toList())));
        return new SchedulingProblem(problemFindings, snapshot, maxUnavailable);
    }

    private static Instant collectedAt(Snapshot snapshot) {
        return snapshot.info()
                .map(SnapshotInfo::collectedAt)
                .map(text -> {
                    try {
                        return Instant.parse(text);
                    } catch (DateTimeParseException e) {
                        throw new PlanException("The SnapshotInfo's collectedAt (" + text
                                + ") is not an RFC 3339 time. Maybe write it as 2018-12-04T23:10:00Z.");
                    }
                })
                .orElseGet(Instant::now);
    }

    private static List<Finding> findings(Map<String, Match> byId, Schedule schedule) {
        List<Finding> findings = new ArrayList<>();
        byId.forEach((id, match) -> {
            String chosen = schedule.chosenRemedy().get(id);
            List<Finding.Alternative> alternatives = match.candidates().stream()
                    .map(c -> new Finding.Alternative(
                            c.remedy(), c.title(), c.risk(), c.remedy().equals(chosen), c.notApplicable()))
                    .toList();
            findings.add(new Finding(
                    id,
                    match.scenario().id(),
                    match.severity(),
                    match.subject(),
                    match.summary(),
                    match.evidence(),
                    alternatives));
        });
        return findings;
    }

    /**
     * The placed steps as numbered actions in waves. Two findings may call for the very same change (the same
     * edit of the same file under the same precondition): it becomes one action that resolves both, in the
     * earlier of its waves, since the second copy could only fail its precondition after the first ran.
     */
    private static List<Wave> waves(Map<String, Match> byId, Schedule schedule) {
        Map<String, Integer> findingOrder = new HashMap<>();
        byId.keySet().forEach(id -> findingOrder.put(id, findingOrder.size()));
        List<Schedule.Step> steps = new ArrayList<>(schedule.steps());
        steps.sort(Comparator.comparingInt(Schedule.Step::wave)
                .thenComparingInt(s -> findingOrder.get(s.findingId()))
                .thenComparingInt(Schedule.Step::position));
        Map<String, Schedule.StepRef> firstWithChange = new HashMap<>();
        Map<Schedule.StepRef, Schedule.StepRef> sameAs = new HashMap<>();
        Map<Schedule.StepRef, List<String>> resolves = new HashMap<>();
        Map<Schedule.StepRef, String> actionIds = new HashMap<>();
        for (Schedule.Step step : steps) {
            Schedule.StepRef key = new Schedule.StepRef(step.findingId(), step.position());
            // An identical change of two findings is one action that resolves both, so the second does not fail
            // the first's file hash. Only a step without prerequisites of its own is folded into the earlier one,
            // so folding never runs anything before what it waits for.
            boolean foldable = step.position() == 0 && step.after().isEmpty();
            Optional<String> change = sameChange(step.action());
            Schedule.StepRef first = change.isPresent() && foldable ? firstWithChange.get(change.get()) : null;
            change.ifPresent(c -> firstWithChange.putIfAbsent(c, key));
            if (first != null) {
                sameAs.put(key, first);
                resolves.get(first).add(step.findingId());
                continue;
            }
            resolves.put(key, new ArrayList<>(List.of(step.findingId())));
            actionIds.put(key, "A" + (actionIds.size() + 1));
        }
        Map<Integer, List<PlannedAction>> waves = new TreeMap<>();
        for (Schedule.Step step : steps) {
            Schedule.StepRef key = new Schedule.StepRef(step.findingId(), step.position());
            if (sameAs.containsKey(key)) {
                continue;
            }
            Match.Action action = step.action();
            Set<String> after = new LinkedHashSet<>();
            if (step.position() > 0) {
                Schedule.StepRef before = new Schedule.StepRef(step.findingId(), step.position() - 1);
                after.add(actionIds.get(sameAs.getOrDefault(before, before)));
            }
            for (Schedule.StepRef needed : step.after()) {
                after.add(actionIds.get(sameAs.getOrDefault(needed, needed)));
            }
            waves.computeIfAbsent(step.wave(), w -> new ArrayList<>())
                    .add(new PlannedAction(
                            actionIds.get(key),
                            action.type(),
                            action.node(),
                            action.path(),
                            action.target(),
                            action.change(),
                            action.preconditions(),
                            List.copyOf(after),
                            List.copyOf(resolves.get(key)),
                            action.risk(),
                            action.rationale(),
                            action.verify()));
        }
        List<Wave> result = new ArrayList<>();
        waves.values().forEach(actions -> result.add(new Wave(result.size() + 1, actions)));
        return result;
    }

    /** What makes two actions the same change; manual steps and actions without a precondition never are. */
    private static Optional<String> sameChange(Match.Action action) {
        if (action.type() == ActionType.Manual || action.preconditions().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(
                "\u0000",
                action.type().name(),
                String.valueOf(action.node()),
                String.valueOf(action.path()),
                String.valueOf(action.target()),
                String.valueOf(action.change()),
                String.valueOf(action.preconditions())));
    }

    private static List<RemediationPlan.Unresolved> unresolved(Map<String, Match> byId, Schedule schedule) {
        List<RemediationPlan.Unresolved> unresolved = new ArrayList<>();
        byId.forEach((id, match) -> {
            if (schedule.chosenRemedy().containsKey(id)) {
                return;
            }
            String why = match.candidates().stream()
                    .filter(c -> !c.applicable())
                    .map(c -> c.remedy() + ": " + c.notApplicable())
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("the knowledge base has no automatic remedy for it");
            unresolved.add(match.unresolved()
                    .map(u -> new RemediationPlan.Unresolved(id, u.reason(), u.instructions(), u.verify()))
                    .orElse(new RemediationPlan.Unresolved(id, "no remedy applies: " + why, null, null)));
        });
        return unresolved;
    }
}
