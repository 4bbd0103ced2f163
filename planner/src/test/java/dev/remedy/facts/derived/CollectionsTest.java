package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The derived facts behind the everyday and Nordstrom scenarios, on their fixture snapshots. */
class CollectionsTest {

    private static final Snapshot SHOP =
            new SnapshotReader().read(RepoPaths.testResource("snapshots/everyday-shop"), "shop");
    private static final Snapshot NORDSTROM =
            new SnapshotReader().read(RepoPaths.plans().resolve("nordstrom-2017/snapshot"), "nordstrom");

    private static Map<String, Object> item(Snapshot snapshot, String collection, String name) {
        return DerivedFacts.derive(snapshot, Instant.parse("2026-03-02T10:00:00Z")).collection(collection).stream()
                .filter(i -> name.equals(i.get("name")))
                .findFirst()
                .orElseThrow();
    }

    private static Pod pod(String name) {
        return SHOP.pods().stream()
                .filter(p -> p.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void followsAPodThroughItsReplicaSetToTheDeployment() {
        OwnerChain chain = OwnerChain.of(SHOP, pod("cart-7d4b9c5f8-k2x8q"));

        assertThat(chain.describe(pod("cart-7d4b9c5f8-k2x8q")))
                .isEqualTo("Pod cart-7d4b9c5f8-k2x8q → ReplicaSet cart-7d4b9c5f8 → Deployment cart");
        assertThat(chain.endsAtEditableWorkload()).isTrue();
        assertThat(chain.workloadRef())
                .hasValueSatisfying(ref -> assertThat(ref).containsEntry("name", "cart"));
    }

    @Test
    void anOwnerMissingFromTheSnapshotEndsTheChainAndIsNamed() {
        Pod orphan = new SnapshotReader()
                .read(RepoPaths.plans().resolve("nre-labs-2018/snapshot"), "nre").pods().stream()
                        .filter(p -> p.getMetadata().getOwnerReferences() != null
                                && !p.getMetadata().getOwnerReferences().isEmpty())
                        .filter(p -> "DaemonSet"
                                .equals(p.getMetadata()
                                        .getOwnerReferences()
                                        .get(0)
                                        .getKind()))
                        .findFirst()
                        .orElseThrow();

        OwnerChain chain = OwnerChain.of(SHOP, orphan);

        assertThat(chain.workload()).isEmpty();
        assertThat(chain.describe(orphan)).endsWith("(not in the snapshot)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aContainerOomKilledNowGetsItsLimitRaisedAndOneOomKilledLongAgoDoesNot() {
        Map<String, Object> cart = item(SHOP, "workloads", "cart");
        Map<String, Object> catalog = item(SHOP, "workloads", "catalog");

        List<Map<String, Object>> oom = (List<Map<String, Object>>) cart.get("oomKilled");
        assertThat(oom).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("memoryLimit", "256Mi")
                .containsEntry("suggestedMemoryLimit", "384Mi")
                .containsEntry("restartCount", 14));
        assertThat(cart.get("memoryPatch").toString()).contains("limits={memory=384Mi}", "requests={memory=384Mi}");
        assertThat((List<?>) catalog.get("oomKilled")).isEmpty();
        assertThat(catalog).doesNotContainKey("memoryPatch");
    }

    @Test
    @SuppressWarnings("unchecked")
    void namesTheMissingConfigMapKeyWithTheKeysThatExistAndTheMissingSecret() {
        Map<String, Object> checkout = item(SHOP, "pods", "checkout-6b8d9f7c5-m3n7x");
        Map<String, Object> catalog = item(SHOP, "pods", "catalog-5c6f7b9d4-h7p2w");

        assertThat((List<String>) checkout.get("missingReferences"))
                .containsExactly(
                        "ConfigMap shop/checkout-config has no key PAYMENT_URL (env PAYMENT_URL of container checkout);"
                                + " it has PAYMENTS_URL",
                        "Secret shop/checkout-db (envFrom of container checkout) does not exist");
        assertThat((List<String>) catalog.get("missingReferences")).isEmpty();
    }

    @Test
    void listsTheSelectorLabelsAPodLacksOrHasAnotherValueFor() {
        assertThat(ServiceCollection.differences(
                        Map.of("app", "storefront-web", "tier", "frontend", "zone", "a"),
                        Map.of("app", "storefront", "tier", "frontend")))
                .containsExactlyInAnyOrder(
                        "app=storefront-web (pod has app=storefront)", "zone=a (pod has no label zone)");
    }

    @Test
    void aBudgetBlocksAllDisruptionsWhenItKeepsEveryPod() {
        assertThat(PodDisruptionBudgetCollection.blocksAll(new IntOrString(2), null, 2))
                .isPresent();
        assertThat(PodDisruptionBudgetCollection.blocksAll(new IntOrString("100%"), null, 3))
                .isPresent();
        assertThat(PodDisruptionBudgetCollection.blocksAll(null, new IntOrString(0), 3))
                .isPresent();
        assertThat(PodDisruptionBudgetCollection.blocksAll(null, new IntOrString("0%"), 3))
                .isPresent();
        assertThat(PodDisruptionBudgetCollection.blocksAll(new IntOrString(2), null, 3))
                .isEmpty();
        assertThat(PodDisruptionBudgetCollection.blocksAll(null, new IntOrString(1), 3))
                .isEmpty();
        assertThat(PodDisruptionBudgetCollection.blocksAll(new IntOrString("50%"), null, 2))
                .isEmpty();
    }

    @Test
    void sizesKubeReservedAsGkeDoes() {
        long gi = 1024L * 1024 * 1024;
        assertThat(KubeletCollection.kubeReservedMemory(gi / 2)).isEqualTo(255L * 1024 * 1024);
        assertThat(KubeletCollection.kubeReservedMemory(4 * gi)).isEqualTo(gi);
        assertThat(KubeletCollection.kubeReservedMemory(16 * gi)).isEqualTo((long) Math.ceil(gi + 0.8 * gi + 0.8 * gi));
        assertThat(KubeletCollection.kubeReservedCpu(1000)).isEqualTo(60);
        assertThat(KubeletCollection.kubeReservedCpu(8000)).isEqualTo(60 + 10 + 10 + 10);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKubeletConfiguredByFlagsGetsFlagEditsOfItsUnitFile() {
        Map<String, Object> node = item(NORDSTROM, "kubelets", "ip-10-0-1-21.us-west-2.compute.internal");

        assertThat((Map<String, String>) node.get("evictionHard")).isEmpty();
        assertThat(node.get("configSource").toString())
                .contains("format=kubelet-flags", "path=/etc/systemd/system/kubelet.service");
        Map<String, Object> suggested = (Map<String, Object>) node.get("suggested");
        assertThat(suggested.get("evictionHard").toString()).contains("memory.available=1024Mi");
        assertThat(suggested.get("edits").toString())
                .contains("--eviction-hard=imagefs.available<15%,memory.available<1024Mi,nodefs.available<10%");
        assertThat((List<String>) node.get("oomLines")).anyMatch(l -> l.contains("Out of memory: Kill process 40884"));
    }

    @Test
    void aStormNodeBehindAClassicElbIsUpgradedToTheFirstReleaseWithTheHeartbeat() {
        Map<String, Object> node = item(NORDSTROM, "kubelets", "ip-10-0-1-31.us-west-2.compute.internal");

        assertThat(node)
                .containsEntry("stoppedPosting", true)
                .containsEntry("lacksHeartbeatTimeout", true)
                .containsEntry("upgradeTo", "v1.7.8")
                .containsEntry("controlPlaneBelowTarget", true)
                .containsEntry("behindClassicElb", true)
                .containsEntry("nodesStoppedPosting", 5L);
    }

    @Test
    void readsGoDurationsOfTheAutoscalerFlags() {
        assertThat(ClusterAutoscalerCollection.seconds("2m")).contains(120L);
        assertThat(ClusterAutoscalerCollection.seconds("1h30m")).contains(5400L);
        assertThat(ClusterAutoscalerCollection.seconds("90s")).contains(90L);
        assertThat(ClusterAutoscalerCollection.seconds("soon")).isEmpty();
    }

    @Test
    void anApiserverFlagIsReplacedWhereItStandsAndAppendedWhereItIsMissing() {
        Map<String, Object> apiserver =
                item(NORDSTROM, "apiservers", "kube-apiserver-ip-10-0-1-10.us-west-2.compute.internal");

        assertThat(apiserver.get("quorumReadEdit").toString())
                .isEqualTo("{op=set, path=spec.containers[name=kube-apiserver].command[7],"
                        + " from=--etcd-quorum-read=false, to=--etcd-quorum-read=true}");
        assertThat(apiserver.get("reconcilerEdit").toString())
                .isEqualTo("{op=add, path=spec.containers[name=kube-apiserver].command[-],"
                        + " to=--endpoint-reconciler-type=lease}");
        assertThat(apiserver).containsEntry("etcdMembers", 3).containsEntry("runningApiservers", 3L);
    }
}
