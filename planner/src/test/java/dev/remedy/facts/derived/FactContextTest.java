package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FactContextTest {

    private static Pod pod(String namespace, String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
    }

    private static FactContext context(List<HasMetadata> objects) {
        Snapshot snapshot =
                new Snapshot("test", "test", objects, List.of(), Optional.empty(), Optional.empty(), List.of());
        return new FactContext(snapshot, Instant.parse("2026-03-01T00:00:00Z"), new LinkedHashMap<>());
    }

    @Test
    void listsPodsInSnapshotOrderAndSortedByNamespaceAndNameOncePerDerivation() {
        FactContext context =
                context(List.of(pod("shop", "web-2"), pod("kube-system", "etcd-a"), pod("shop", "web-1")));

        assertThat(context.pods())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("web-2", "etcd-a", "web-1");
        assertThat(context.sortedPods())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("etcd-a", "web-1", "web-2");
        assertThat(context.sortedPods()).isSameAs(context.sortedPods());
        assertThat(context.pods()).isSameAs(context.pods());
    }

    @Test
    void followsAPodsOwnerChainOnceForEveryCollection() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-5d8-x2")
                .addNewOwnerReference()
                .withKind("ReplicaSet")
                .withName("web-5d8")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
        HasMetadata replicaSet = new ReplicaSetBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-5d8")
                .endMetadata()
                .build();
        FactContext context = context(List.of(pod, replicaSet));

        OwnerChain chain = context.ownerChain(pod);

        assertThat(chain).isEqualTo(OwnerChain.of(context.snapshot(), pod));
        assertThat(chain.workload()).contains(replicaSet);
        assertThat(context.ownerChain(pod)).isSameAs(chain);
    }

    private static Pod replica(String namespace, String name, String replicaSet) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addNewOwnerReference()
                .withKind("ReplicaSet")
                .withName(replicaSet)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
    }

    private static HasMetadata replicaSet(String namespace, String name) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
    }

    @Test
    void replicasShareTheirOwnersChainAndAnOwnerOfTheSameNameInAnotherNamespaceHasItsOwn() {
        Pod first = replica("shop", "web-5d8-a", "web-5d8");
        Pod second = replica("shop", "web-5d8-b", "web-5d8");
        Pod elsewhere = replica("test", "web-5d8-c", "web-5d8");
        Pod orphan = replica("test", "web-5d8-d", "web-gone");
        FactContext context = context(List.of(
                first, second, elsewhere, orphan, replicaSet("shop", "web-5d8"), replicaSet("test", "web-5d8")));

        assertThat(context.ownerChain(second)).isSameAs(context.ownerChain(first));
        assertThat(context.ownerChain(elsewhere).workload())
                .hasValueSatisfying(
                        w -> assertThat(w.getMetadata().getNamespace()).isEqualTo("test"));
        assertThat(context.ownerChain(first)).isSameAs(context.ownerChain(second));
        assertThat(context.ownerChain(orphan).missing()).containsExactly("ReplicaSet web-gone");
        for (Pod pod : List.of(first, second, elsewhere, orphan)) {
            assertThat(context.ownerChain(pod)).isEqualTo(OwnerChain.of(context.snapshot(), pod));
        }
    }

    @Test
    void worksOutTheClusterCniFactsOnceForTheDaemonSetAndNodeFacts() {
        FactContext context = context(List.of(pod("shop", "web-1")));

        assertThat(context.cniCluster()).isEqualTo(CniAnalysis.cluster(context));
        assertThat(context.cniCluster()).isSameAs(context.cniCluster());
    }

    @Test
    void theSharedPodListsCannotBeChangedByACollection() {
        FactContext context = context(List.of(pod("shop", "web-1")));

        assertThatThrownBy(() -> context.sortedPods().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> context.pods().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
