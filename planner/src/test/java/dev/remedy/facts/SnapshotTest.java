package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private static Snapshot snapshot(HasMetadata... objects) {
        return new Snapshot("test", "0", List.of(objects), List.of(), Optional.empty(), Optional.empty(), List.of());
    }

    @Test
    void findsTheFirstObjectOfAKindAndNameInANamespaceOrInAny() {
        var first = new ReplicaSetBuilder()
                .withNewMetadata()
                .withNamespace("a")
                .withName("web")
                .endMetadata()
                .build();
        var second = new ReplicaSetBuilder()
                .withNewMetadata()
                .withNamespace("b")
                .withName("web")
                .endMetadata()
                .build();
        Snapshot snapshot = snapshot(new Pod(), first, second);

        assertThat(snapshot.object("ReplicaSet", "b", "web")).containsSame(second);
        assertThat(snapshot.object("ReplicaSet", null, "web")).containsSame(first);
        assertThat(snapshot.object("ReplicaSet", "c", "web")).isEmpty();
        assertThat(snapshot.object("Deployment", "a", "web")).isEmpty();
    }

    @Test
    void findsEventsAboutAnObjectAndObjectsOfAClassByName() {
        Event about = new EventBuilder()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withNamespace("a")
                .withName("web-1")
                .endInvolvedObject()
                .build();
        Event other = new EventBuilder()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withNamespace("b")
                .withName("web-1")
                .endInvolvedObject()
                .build();
        ConfigMap map = new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("a")
                .withName("settings")
                .endMetadata()
                .build();
        Snapshot snapshot = snapshot(about, other, map);

        assertThat(snapshot.eventsAbout("Pod", "a", "web-1")).containsExactly(about);
        assertThat(snapshot.named(ConfigMap.class, "a", "settings")).containsExactly(map);
        assertThat(snapshot.named(ConfigMap.class, "b", "settings")).isEmpty();
        assertThat(snapshot.has(ConfigMap.class)).isTrue();
    }
}
