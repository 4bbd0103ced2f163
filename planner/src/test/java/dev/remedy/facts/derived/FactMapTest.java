package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactMapTest {

    private static Map<String, Object> facts(Map<String, Object> map) {
        map.put("name", "web-1");
        map.put("ready", false);
        map.put("image", null);
        map.put("restartCount", 3);
        map.put("ready", true);
        return map;
    }

    @Test
    void behavesAsALinkedHashMapWithTheSameEntries() {
        Map<String, Object> facts = facts(new FactMap(2));
        Map<String, Object> linked = facts(new LinkedHashMap<>());

        assertThat(facts).isEqualTo(linked).hasSameHashCodeAs(linked);
        assertThat(facts).hasToString(linked.toString());
        assertThat(facts.keySet()).containsExactly("name", "ready", "image", "restartCount");
        assertThat(facts.get("ready")).isEqualTo(true);
        assertThat(facts).containsKey("image").doesNotContainKey("phase");
        assertThat(facts.get("phase")).isNull();
        assertThat(facts.get(null)).isNull();
        assertThat(facts).hasSize(4);
    }

    @Test
    void handsOutTheValueADeferredValueMakesWhereverItIsRead() {
        Map<String, Object> facts = facts(new FactMap(4));
        facts.put("ownerChain", (FactMap.Deferred) map -> "Pod " + map.get("name") + " → ReplicaSet web-5d8");
        Map<String, Object> linked = facts(new LinkedHashMap<>());
        linked.put("ownerChain", "Pod web-1 → ReplicaSet web-5d8");

        assertThat(facts.get("ownerChain")).isEqualTo("Pod web-1 → ReplicaSet web-5d8");
        assertThat(facts).isEqualTo(linked).hasToString(linked.toString());
        List<Object> values = new ArrayList<>();
        facts.forEach((key, value) -> values.add(value));
        assertThat(values).isEqualTo(new ArrayList<>(linked.values()));
        assertThat(facts.remove("ownerChain")).isEqualTo("Pod web-1 → ReplicaSet web-5d8");
    }

    @Test
    void findsAKeyThatIsEqualButNotTheSameString() {
        Map<String, Object> facts = facts(new FactMap(4));

        assertThat(facts.get(new String("restartCount"))).isEqualTo(3);
    }

    @Test
    void removesInPlaceKeepingTheOrderOfTheRest() {
        Map<String, Object> facts = facts(new FactMap(4));

        assertThat(facts.remove("ready")).isEqualTo(true);
        Iterator<Map.Entry<String, Object>> entries = facts.entrySet().iterator();
        entries.next();
        entries.next();
        entries.remove();
        facts.put("phase", "Running");

        assertThat(facts.keySet()).containsExactly("name", "restartCount", "phase");
    }

    @Test
    void writesAnEntrysNewValueThrough() {
        Map<String, Object> facts = facts(new FactMap(4));

        facts.entrySet().forEach(e -> e.setValue(e.getKey()));

        List<Object> values = new ArrayList<>();
        facts.forEach((k, v) -> values.add(v));
        assertThat(values).containsExactly("name", "ready", "image", "restartCount");
    }

    @Test
    void refusesANullKey() {
        assertThatThrownBy(() -> new FactMap(1).put(null, 1)).isInstanceOf(NullPointerException.class);
    }
}
