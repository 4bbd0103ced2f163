package dev.remedy.knowledge;

import dev.remedy.Background;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Evaluates every scenario against the derived facts and renders what fired. */
public final class Matcher {

    private final KnowledgeBase knowledgeBase;
    private final int block;

    public Matcher(KnowledgeBase knowledgeBase) {
        this(knowledgeBase, BLOCK);
    }

    /** {@code block}: how many items of a collection are matched together. */
    Matcher(KnowledgeBase knowledgeBase, int block) {
        this.knowledgeBase = knowledgeBase;
        this.block = block;
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
        List<Block> blocks = new ArrayList<>();
        byCollection.forEach((collection, scenarios) -> {
            Pass pass = new Pass(scenarios, cluster, noItem);
            List<Map<String, Object>> items = facts.collection(collection);
            for (int from = 0; from < items.size(); from += block) {
                blocks.add(new Block(pass, items.subList(from, (int) Math.min(items.size(), (long) from + block))));
            }
        });
        matchAll(blocks);
        Map<Scenario, List<Match>> found = new IdentityHashMap<>();
        for (Block block : blocks) {
            // What a block threw is what matching one item after the other would have thrown first.
            if (block.failure instanceof RuntimeException e) {
                throw e;
            }
            if (block.failure instanceof Error e) {
                throw e;
            }
            block.found.forEach((scenario, matches) ->
                    found.computeIfAbsent(scenario, s -> new ArrayList<>()).addAll(matches));
        }
        List<Match> matches = new ArrayList<>();
        for (Scenario scenario : knowledgeBase.scenarios()) {
            matches.addAll(found.getOrDefault(scenario, List.of()));
        }
        return matches;
    }

    /**
     * Matches the blocks on this thread and one other, each taking the next block not yet taken. Matching is the
     * one step of a plan between deriving facts and solving, and it ran on one core while the other had nothing
     * left to do; the findings are put together in block order afterwards, as one thread would have made them.
     */
    private static void matchAll(List<Block> blocks) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < blocks.size(); i = next.getAndIncrement()) {
                blocks.get(i).match();
            }
        };
        if (blocks.size() < 2) {
            worker.run();
            return;
        }
        Background<Void> other = Background.start("matcher", () -> {
            worker.run();
            return null;
        });
        worker.run();
        other.join();
    }

    /**
     * Items of one collection that are matched together: few enough that two threads end at about the same time
     * (failures are injected into the first nodes of a generated cluster, and findings cost most to render), many
     * enough that taking one costs nothing.
     */
    private static final int BLOCK = 256;

    /** A run of items of one collection, and what matching them found or threw. */
    private static final class Block {
        private final Pass pass;
        private final List<Map<String, Object>> items;
        private final Map<Scenario, List<Match>> found = new IdentityHashMap<>();
        // Each block its own: the threads share no map.
        private final Map<Expression, Object> clusterValues = Variables.clusterValues();
        private Throwable failure;

        Block(Pass pass, List<Map<String, Object>> items) {
            this.pass = pass;
            this.items = items;
        }

        void match() {
            try {
                pass.match(items, found, clusterValues);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }

    /** The scenarios of one collection, with what their conditions read of an item. */
    private final class Pass {
        private final List<Scenario> scenarios;
        private final Object cluster;
        private final Object noItem;
        private final boolean whole;
        private final String[] readFields;
        private final List<Predicate<Map<String, Object>>> filters;

        Pass(List<Scenario> scenarios, Object cluster, Object noItem) {
            this.scenarios = scenarios;
            this.cluster = cluster;
            this.noItem = noItem;
            Set<String> read = new TreeSet<>();
            boolean anyWhole = false;
            for (Scenario scenario : scenarios) {
                anyWhole |= scenario.when().subjectUse().whole();
                read.addAll(scenario.when().subjectUse().fields());
            }
            this.whole = anyWhole;
            // An array, not the set: iterating a TreeSet costs an iterator per item.
            this.readFields = read.toArray(String[]::new);
            this.filters = new ArrayList<>(scenarios.size());
            scenarios.forEach(s -> filters.add(s.when().subjectUse().itemFilter()));
        }

        /**
         * Adds the matches of {@code items}, in their order, to each scenario's list in {@code found}, with the
         * values of the expressions that read only {@code cluster} kept in {@code clusterValues}.
         */
        void match(
                List<Map<String, Object>> items,
                Map<Scenario, List<Match>> found,
                Map<Expression, Object> clusterValues) {
            for (Map<String, Object> item : items) {
                Variables tested = null;
                Variables rendered = null;
                for (int i = 0; i < scenarios.size(); i++) {
                    Scenario scenario = scenarios.get(i);
                    if (!filters.get(i).test(item)) {
                        continue;
                    }
                    if (tested == null) {
                        tested = Variables.of(
                                whole ? Values.toCel(item) : fields(item, readFields), cluster, noItem, clusterValues);
                    }
                    if (scenario.when().test(tested)) {
                        if (rendered == null) {
                            rendered =
                                    whole ? tested : Variables.of(Values.toCel(item), cluster, noItem, clusterValues);
                        }
                        found.computeIfAbsent(scenario, s -> new ArrayList<>()).add(render(scenario, item, rendered));
                    }
                }
            }
        }
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

    private Match render(Scenario scenario, Map<String, Object> item, Variables variables) {
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
                    actions.add(action(template, remedy, variables.with(CelEnvironment.ITEM, element)));
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
