package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FactsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T18:30:12.345Z");

    @Test
    void ageDaysAgreesWithInstantParseOnTheFormKubernetesWritesAndOnEveryOtherForm() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            String timestamp = Instant.ofEpochSecond(random.nextLong(0, 2 * NOW.getEpochSecond()))
                    .toString();
            assertThat(Facts.ageDays(timestamp, NOW))
                    .as(timestamp)
                    .isEqualTo(Duration.between(Instant.parse(timestamp), NOW).toDays());
        }
        assertThat(Facts.ageDays("2026-11-29T18:30:13Z", NOW)).isZero();
        assertThat(Facts.ageDays("2026-11-29T18:30:12Z", NOW)).isEqualTo(1);
        assertThat(Facts.ageDays("2026-12-01T18:30:13Z", NOW)).isEqualTo(-1);
        // Forms the digit-by-digit reading leaves to Instant.parse: fractions, offsets, 24:00, a leap second.
        assertThat(Facts.ageDays("2026-11-20T18:30:12.1Z", NOW)).isEqualTo(10);
        assertThat(Facts.ageDays("2026-11-20T20:30:12+02:00", NOW)).isEqualTo(10);
        assertThat(Facts.ageDays("2026-11-19T24:00:00Z", NOW)).isEqualTo(10);
        assertThat(Facts.ageDays("2016-12-31T23:59:60Z", NOW)).isEqualTo(3620);
    }

    @Test
    void aCreationTimestampThatIsNoTimeCountsAsNoAgeRatherThanFailingTheDerivation() {
        assertThat(Facts.ageDays(null, NOW)).isZero();
        assertThat(Facts.ageDays("yesterday", NOW)).isZero();
        assertThat(Facts.ageDays("2026-02-30T00:00:00Z", NOW)).isZero();
        assertThat(Facts.ageDays("2026-11-2xT00:00:00Z", NOW)).isZero();
    }

    @Test
    void aRefHoldsKindNamespaceNameAndNodeInOrderWithoutTheNullOnes() {
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("kind", "Pod");
        full.put("namespace", "shop");
        full.put("name", "web-1");
        full.put("node", "worker-1");
        Map<String, Object> ref = Facts.ref("Pod", "shop", "web-1", "worker-1");
        assertThat(ref).isEqualTo(full).hasSameHashCodeAs(full);
        assertThat(ref).containsExactlyEntriesOf(full);
        assertThat(ref).hasToString(full.toString());

        Map<String, Object> clusterScoped = Facts.ref("Node", null, "worker-1", null);
        assertThat(clusterScoped).containsExactly(Map.entry("kind", "Node"), Map.entry("name", "worker-1"));
        assertThat(clusterScoped).doesNotContainKeys("namespace", "node");
        assertThat(clusterScoped.get("namespace")).isNull();
        assertThat(clusterScoped).hasToString("{kind=Node, name=worker-1}");
        Map<String, Object> forEach = new LinkedHashMap<>();
        clusterScoped.forEach(forEach::put);
        assertThat(forEach).containsExactlyEntriesOf(clusterScoped);
    }
}
