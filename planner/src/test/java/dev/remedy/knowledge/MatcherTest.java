package dev.remedy.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.benchmark.ClusterGenerator;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.plan.ObjectRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatcherTest {

    private static final KnowledgeBase KNOWLEDGE_BASE = KnowledgeBase.bundled();

    @Test
    void findsOnTwoThreadsWhatOneThreadFindsInTheOrderOfTheItems() {
        Snapshot snapshot =
                ClusterGenerator.generate(ClusterGenerator.Spec.ofSize(100, 42)).snapshot("generated-fingerprint");
        DerivedFacts facts = DerivedFacts.derive(snapshot, Instant.parse(ClusterGenerator.NOW));

        List<Match> wholeCollections = new Matcher(KNOWLEDGE_BASE, Integer.MAX_VALUE).match(facts);
        List<Match> itemByItem = new Matcher(KNOWLEDGE_BASE, 1).match(facts);

        List<ObjectRef> skewed = wholeCollections.stream()
                .filter(match -> match.scenario().id().equals("kubelet-version-skew"))
                .map(Match::subject)
                .toList();
        assertThat(skewed)
                .hasSizeGreaterThan(10)
                .isEqualTo(facts.collection("kubelets").stream()
                        .map(kubelet -> ref(kubelet.get("ref")))
                        .filter(skewed::contains)
                        .toList());
        assertThat(itemByItem).isEqualTo(wholeCollections);
    }

    @SuppressWarnings("unchecked")
    private static ObjectRef ref(Object value) {
        Map<String, Object> ref = (Map<String, Object>) value;
        return new ObjectRef((String) ref.get("kind"), (String) ref.get("namespace"), (String) ref.get("name"), (String)
                ref.get("node"));
    }
}
