package dev.remedy.solver;

import dev.remedy.knowledge.Match;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.Risk;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A cluster running two CNI DaemonSets, and the actions of the SourceClear scenarios on it. */
final class CniClusters {

    private CniClusters() {}

    /** Nodes n1..n3 labelled pool=a; calico-node and kube-flannel-ds both mount /etc/cni/net.d. */
    static ClusterModel withCalicoAndFlannel() {
        List<HasMetadata> objects = new ArrayList<>();
        for (HasMetadata node : TimefoldWavePlannerTest.nodes("n1", "n2", "n3")) {
            node.getMetadata().setLabels(Map.of("pool", "a"));
            objects.add(node);
        }
        objects.add(daemonSet("calico-node"));
        objects.add(daemonSet("kube-flannel-ds"));
        return ClusterModel.of(TimefoldWavePlannerTest.snapshot(objects, null), 2);
    }

    /** competing-cni-daemonsets' pause: a nodeSelector no node carries. */
    static Match.Action pause(String daemonSet) {
        return patch(
                daemonSet,
                Map.of(
                        "spec",
                        Map.of(
                                "template",
                                Map.of("spec", Map.of("nodeSelector", Map.of("remedy.dev/paused", "true"))))));
    }

    static Match.Action patch(String daemonSet, Map<String, Object> patch) {
        return new Match.Action(
                ActionType.PatchResource,
                null,
                null,
                new ObjectRef("DaemonSet", "kube-system", daemonSet, null),
                Map.of("type", "strategic", "patch", patch),
                List.of(),
                List.of(),
                Risk.LOW,
                "patch");
    }

    static Match.Action moveCalicoConfig(String node) {
        return TimefoldWavePlannerTest.moveStrayCni(node);
    }

    private static HasMetadata daemonSet(String name) {
        return new DaemonSetBuilder()
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewVolume()
                .withName("cni-net-dir")
                .withNewHostPath()
                .withPath("/etc/cni/net.d")
                .endHostPath()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
