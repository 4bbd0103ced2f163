package dev.remedy.risks;

import dev.remedy.Counts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lists every single failure event of a model, in a stable order. */
final class EventCatalog {

    private static final int[] NONE = new int[0];

    private EventCatalog() {}

    static List<RiskEvent> events(ClusterModel model) {
        return events(model, true);
    }

    /** Every event but the autoscaler's scale-down, whose search for unneeded nodes is the costly one. */
    static List<RiskEvent> withoutScaleDown(ClusterModel model) {
        return events(model, false);
    }

    private static List<RiskEvent> events(ClusterModel model, boolean autoscaler) {
        List<RiskEvent> events = new ArrayList<>();
        for (int n = 0; n < model.nodes.size(); n++) {
            ModelNode node = model.nodes.get(n);
            events.add(new RiskEvent(
                    EventType.NODE_LOSS.id() + "/" + node.name(),
                    EventType.NODE_LOSS,
                    node.name(),
                    EventType.NODE_LOSS.likelihood(),
                    "node " + node.name() + " is lost",
                    new int[] {n},
                    NONE,
                    NONE,
                    membersOn(model, n)));
        }
        for (Map.Entry<String, int[]> zone : model.nodesByZone.entrySet()) {
            if (model.nodesByZone.size() < 2) {
                break;
            }
            int[] members = membersIn(model, zone.getValue());
            events.add(new RiskEvent(
                    EventType.ZONE_LOSS.id() + "/" + zone.getKey(),
                    EventType.ZONE_LOSS,
                    zone.getKey(),
                    EventType.ZONE_LOSS.likelihood(),
                    "zone " + zone.getKey() + " is lost (" + Counts.of(zone.getValue().length, "node") + ")",
                    zone.getValue(),
                    NONE,
                    NONE,
                    members));
        }
        for (int m = 0; m < model.etcdMembers.size(); m++) {
            ModelEtcdMember member = model.etcdMembers.get(m);
            events.add(new RiskEvent(
                    EventType.ETCD_MEMBER_DOWN.id() + "/" + member.name(),
                    EventType.ETCD_MEMBER_DOWN,
                    member.name(),
                    EventType.ETCD_MEMBER_DOWN.likelihood(),
                    "etcd member " + member.name() + " is lost or restarts",
                    NONE,
                    NONE,
                    NONE,
                    new int[] {m}));
        }
        for (int p : model.apiServerPods) {
            ModelPod pod = model.pods.get(p);
            events.add(new RiskEvent(
                    EventType.CONTROL_PLANE_RESTART.id() + "/" + pod.name(),
                    EventType.CONTROL_PLANE_RESTART,
                    pod.name(),
                    EventType.CONTROL_PLANE_RESTART.likelihood(),
                    pod.component() + " on " + pod.node() + " restarts",
                    NONE,
                    NONE,
                    new int[] {p},
                    NONE));
        }
        for (ModelProbe probe : model.probes) {
            if (!probe.killsHealthyComponent()) {
                continue;
            }
            int pod = podIndex(model, probe.namespace(), probe.pod());
            int[] members = "etcd".equals(probe.component()) ? membersOn(model, model.node(probe.node())) : NONE;
            events.add(new RiskEvent(
                    EventType.PROBE_KILL.id() + "/" + probe.pod(),
                    EventType.PROBE_KILL,
                    probe.pod(),
                    EventType.PROBE_KILL.likelihood(),
                    "the liveness probe of " + probe.pod() + " kills it: a check takes " + probe.measuredLatencyMs()
                            + " ms, the probe waits " + probe.effectiveTimeoutSeconds() + " s (kill window "
                            + probe.killWindowSeconds() + " s)",
                    NONE,
                    NONE,
                    pod < 0 ? NONE : new int[] {pod},
                    members));
        }
        int[] unneeded = autoscaler ? AutoscalerScaleDown.unneededNodes(model) : NONE;
        if (unneeded.length > 0) {
            events.add(new RiskEvent(
                    EventType.AUTOSCALER_SCALE_DOWN.id(),
                    EventType.AUTOSCALER_SCALE_DOWN,
                    "cluster-autoscaler",
                    model.autoscalerSeen ? EventType.AUTOSCALER_SCALE_DOWN.likelihood() : Likelihood.LOW,
                    "a cluster autoscaler removes, one at a time, the " + unneeded.length
                            + " nodes it considers unneeded"
                            + (model.autoscalerSeen ? "" : " (no autoscaler was seen: if one is enabled)"),
                    NONE,
                    unneeded,
                    NONE,
                    NONE));
        }
        for (int n = 0; n < model.nodes.size(); n++) {
            ModelNode node = model.nodes.get(n);
            events.add(new RiskEvent(
                    EventType.NODE_DRAIN.id() + "/" + node.name(),
                    EventType.NODE_DRAIN,
                    node.name(),
                    EventType.NODE_DRAIN.likelihood(),
                    "node " + node.name() + " is drained (as an upgrade does)",
                    NONE,
                    new int[] {n},
                    NONE,
                    NONE));
        }
        return events;
    }

    private static int[] membersOn(ClusterModel model, int node) {
        return membersIn(model, new int[] {node});
    }

    private static int[] membersIn(ClusterModel model, int[] nodes) {
        List<Integer> members = new ArrayList<>();
        for (int m = 0; m < model.etcdMembers.size(); m++) {
            int at = model.etcdMembers.get(m).node() == null
                    ? -1
                    : model.node(model.etcdMembers.get(m).node());
            for (int n : nodes) {
                if (n == at) {
                    members.add(m);
                }
            }
        }
        return members.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int podIndex(ClusterModel model, String namespace, String name) {
        for (int p = 0; p < model.pods.size(); p++) {
            if (model.pods.get(p).name().equals(name)
                    && model.pods.get(p).namespace().equals(namespace)) {
                return p;
            }
        }
        return -1;
    }
}
