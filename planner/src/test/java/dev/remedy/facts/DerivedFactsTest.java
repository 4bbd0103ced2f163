package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.RepoPaths;
import dev.remedy.benchmark.ClusterGenerator;
import dev.remedy.facts.derived.FactCollection;
import dev.remedy.facts.derived.FactContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivedFactsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static List<Snapshot> snapshots() {
        return List.of(
                ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(40, 7)).snapshot("generated"),
                new SnapshotReader().read(RepoPaths.testResource("snapshots/everyday-shop"), "shop"),
                new SnapshotReader().read(RepoPaths.plans().resolve("nordstrom-2017/snapshot"), "nordstrom"));
    }

    /** Every item as text, collection by collection in registry order. */
    private static Map<String, List<String>> text(DerivedFacts facts) {
        Map<String, List<String>> text = new LinkedHashMap<>();
        text.put("cluster", List.of(facts.cluster().toString()));
        for (FactCollection collection : DerivedFacts.REGISTRY) {
            text.put(
                    collection.name(),
                    facts.collection(collection.name()).stream()
                            .map(Object::toString)
                            .toList());
        }
        return text;
    }

    @Test
    void derivesTheSameFactsOnOneThreadAndOnSeveral() {
        for (Snapshot snapshot : snapshots()) {
            Map<String, List<String>> alone = text(DerivedFacts.derive(snapshot, NOW, 1));

            assertThat(text(DerivedFacts.derive(snapshot, NOW, 2))).containsExactlyEntriesOf(alone);
            assertThat(text(DerivedFacts.derive(snapshot, NOW, 3))).containsExactlyEntriesOf(alone);
        }
    }

    @Test
    void eachCollectionHoldsWhatItDerivesWhicheverThreadDerivedIt() {
        for (Snapshot snapshot : snapshots()) {
            DerivedFacts facts = DerivedFacts.derive(snapshot, NOW, 2);
            FactContext context = new FactContext(snapshot, NOW, new LinkedHashMap<>(facts.cluster()));

            for (FactCollection collection : DerivedFacts.REGISTRY) {
                assertThat(facts.collection(collection.name()).stream()
                                .map(Object::toString)
                                .toList())
                        .as(collection.name())
                        .containsExactlyElementsOf(collection.derive(context).stream()
                                .map(Object::toString)
                                .toList());
            }
        }
    }

    @Test
    void aScheduleMustNameEveryCollectionOnce() {
        List<String> names =
                DerivedFacts.REGISTRY.stream().map(FactCollection::name).toList();

        assertThat(DerivedFacts.schedule(names)).hasSize(names.size()).doesNotHaveDuplicates();
        assertThatThrownBy(() -> DerivedFacts.schedule(names.subList(1, names.size())))
                .hasMessageContaining("Maybe add the new collection");
    }
}
