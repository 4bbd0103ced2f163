package dev.remedy.knowledge;

import dev.remedy.facts.DerivedFacts;
import dev.remedy.plan.ObjectRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Evaluates every scenario against the derived facts and renders what fired. */
public final class Matcher {

    private final KnowledgeBase knowledgeBase;

    public Matcher(KnowledgeBase knowledgeBase) {
        this.knowledgeBase = knowledgeBase;
    }

    /**
     * Matches in scenario id order, then in the order of each fact collection. A condition sees only the fields
     * of an item that the conditions on its collection read, converted to their CEL form once per item, and is
     * not evaluated on an item that lacks a field it requires with {@code has(...)}; a finding is rendered from
     * the whole item.
     */
    public List<Match> match(DerivedFacts facts) {
        Object cluster = Values.toCel(facts.cluster());
        Object noItem = Values.toCel(null);
        Map<String, List<Scenario>> byCollection = new LinkedHashMap<>();
        for (Scenario scenario : knowledgeBase.scenarios()) {
            byCollection
                    .computeIfAbsent(scenario.each(), c -> new ArrayList<>())
                    .add(scenario);
        }
        Map<Scenario, List<Match>> found = new IdentityHashMap<>();
        byCollection.forEach((collection, scenarios) -> {
            Set<String> read = new TreeSet<>();
            boolean whole = false;
            for (Scenario scenario : scenarios) {
                whole |= scenario.when().subjectUse().whole();
                read.addAll(scenario.when().subjectUse().fields());
            }
            // An array, not the set: iterating a TreeSet costs an iterator per item.
            String[] readFields = read.toArray(String[]::new);
            List<Predicate<Map<String, Object>>> filters = new ArrayList<>(scenarios.size());
            scenarios.forEach(s -> filters.add(s.when().subjectUse().itemFilter()));
            for (Map<String, Object> item : facts.collection(collection)) {
                Map<String, Object> tested = null;
                Map<String, Object> rendered = null;
                for (int i = 0; i < scenarios.size(); i++) {
                    Scenario scenario = scenarios.get(i);
                    if (!filters.get(i).test(item)) {
                        continue;
                    }
                    if (tested == null) {
                        tested = variables(whole ? Values.toCel(item) : fields(item, readFields), cluster, noItem);
                    }
                    if (scenario.when().test(tested)) {
                        if (rendered == null) {
                            rendered = whole ? tested : variables(Values.toCel(item), cluster, noItem);
                        }
                        found.computeIfAbsent(scenario, s -> new ArrayList<>()).add(render(scenario, item, rendered));
                    }
                }
            }
        });
        List<Match> matches = new ArrayList<>();
        for (Scenario scenario : knowledgeBase.scenarios()) {
            matches.addAll(found.getOrDefault(scenario, List.of()));
        }
        return matches;
    }

    /**
     * The three variables, in a table sized for them: one map per item that passes a filter, tens of thousands a
     * plan, and the default table is four times the size.
     */
    private static Map<String, Object> variables(Object subject, Object cluster, Object noItem) {
        Map<String, Object> variables = HashMap.newHashMap(3);
        variables.put(CelEnvironment.SUBJECT, subject);
        variables.put(CelEnvironment.CLUSTER, cluster);
        variables.put(CelEnvironment.ITEM, noItem);
        return variables;
    }

    /** The CEL form of the named fields of {@code item}, as {@link Values#toCel} would have them. */
    private static Map<String, Object> fields(Map<String, Object> item, String[] names) {
        // Sized for the names, so that it never grows: conditions select the fields by name, never in table order.
        Map<String, Object> fields = HashMap.newHashMap(names.length);
        for (String name : names) {
            Object value = item.get(name);
            if (value != null) {
                fields.put(name, Values.toCel(value));
            }
        }
        return fields;
    }

    private Match render(Scenario scenario, Map<String, Object> item, Map<String, Object> variables) {
        List<String> evidence = new ArrayList<>();
        for (Template template : scenario.evidence()) {
            addText(evidence, template.render(variables));
        }
        List<Match.Candidate> candidates = new ArrayList<>();
        for (Scenario.Remedy remedy : scenario.remedies()) {
            boolean applicable = remedy.when().map(w -> w.test(variables)).orElse(true);
            if (!applicable) {
                candidates.add(new Match.Candidate(
                        remedy.id(),
                        remedy.title(),
                        remedy.risk(),
                        false,
                        text(remedy.notApplicable().render(variables)),
                        List.of()));
                continue;
            }
            List<Match.Action> actions = new ArrayList<>();
            for (Scenario.ActionTemplate template : remedy.actions()) {
                if (template.forEach().isEmpty()) {
                    actions.add(action(template, remedy, variables));
                    continue;
                }
                Object elements = template.forEach().get().evaluate(variables);
                if (!(elements instanceof List<?> list)) {
                    throw new KnowledgeBaseException("The forEach of a " + template.type() + " action in "
                            + scenario.id() + ".yaml returned " + elements + ", not a list. Maybe wrap it in [...].");
                }
                for (Object element : list) {
                    Map<String, Object> scoped = new HashMap<>(variables);
                    scoped.put(CelEnvironment.ITEM, element);
                    actions.add(action(template, remedy, scoped));
                }
            }
            candidates.add(new Match.Candidate(remedy.id(), remedy.title(), remedy.risk(), true, null, actions));
        }
        Optional<Match.Unresolved> unresolved = scenario.unresolved()
                .map(u -> new Match.Unresolved(
                        text(u.reason().render(variables)),
                        text(u.instructions().render(variables)),
                        text(u.verify().render(variables))));
        return new Match(
                scenario,
                scenario.severityOf(variables),
                objectRef(item.get("ref")),
                text(scenario.summary().render(variables)),
                evidence,
                candidates,
                unresolved);
    }

    @SuppressWarnings("unchecked")
    private static Match.Action action(
            Scenario.ActionTemplate template, Scenario.Remedy remedy, Map<String, Object> variables) {
        Object preconditions = template.preconditions().render(variables);
        Object verify = template.verify().render(variables);
        Object change = template.change().render(variables);
        return new Match.Action(
                template.type(),
                text(template.node().render(variables)),
                text(template.path().render(variables)),
                objectRef(template.target().render(variables)),
                change instanceof Map<?, ?> map ? (Map<String, Object>) map : null,
                preconditions instanceof List<?> list ? (List<Map<String, Object>>) list : List.of(),
                verify instanceof List<?> list ? (List<Object>) list : List.of(),
                template.risk().orElse(remedy.risk()),
                text(template.rationale().render(variables)));
    }

    private static void addText(List<String> lines, Object value) {
        if (value instanceof List<?> list) {
            list.forEach(v -> addText(lines, v));
        } else if (value != null && !value.toString().isBlank()) {
            lines.add(Values.format(value).strip());
        }
    }

    private static String text(Object value) {
        return value == null ? null : Values.format(value).strip();
    }

    @SuppressWarnings("unchecked")
    private static ObjectRef objectRef(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Object> ref = (Map<String, Object>) map;
        return new ObjectRef((String) ref.get("kind"), (String) ref.get("namespace"), (String) ref.get("name"), (String)
                ref.get("node"));
    }
}
