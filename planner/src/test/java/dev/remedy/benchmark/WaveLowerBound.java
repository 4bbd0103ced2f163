package dev.remedy.benchmark;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Wave;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lower bound on the waves any safe plan with the same chosen remedies needs, computed from the remedies'
 * action chains and the snapshot alone (not from where the solver put them): the longest prerequisite chain;
 * node outages over the blast radius, plus the steps every chain needs before and after them; healthy etcd
 * member restarts over the members a wave may take down.
 */
record WaveLowerBound(int chain, int nodes, int etcd) {

    int value() {
        return Math.max(chain, Math.max(nodes, etcd));
    }

    static WaveLowerBound of(RemediationPlan plan, Snapshot snapshot, int maxUnavailableNodes) {
        Map<String, PlannedAction> byId = new HashMap<>();
        Map<String, List<PlannedAction>> chains = new LinkedHashMap<>();
        for (Wave wave : plan.spec().waves()) {
            for (PlannedAction action : wave.actions()) {
                byId.put(action.id(), action);
                chains.computeIfAbsent(action.resolves().get(0), k -> new ArrayList<>())
                        .add(action);
            }
        }
        Map<String, Integer> depth = new HashMap<>();
        int chain = 0;
        for (PlannedAction action : byId.values()) {
            chain = Math.max(chain, depth(action, byId, depth));
        }
        long outageWaves = 0;
        int lead = Integer.MAX_VALUE;
        int tail = Integer.MAX_VALUE;
        for (List<PlannedAction> actions : chains.values()) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < actions.size(); i++) {
                PlannedAction action = actions.get(i);
                int span = 0;
                if (action.type() == ActionType.DrainNode) {
                    span = 1;
                    for (int j = i + 1; j < actions.size(); j++) {
                        if (actions.get(j).type() == ActionType.UncordonNode
                                && action.node().equals(actions.get(j).node())) {
                            span = j - i;
                            break;
                        }
                    }
                } else if (action.type() == ActionType.RebootNode || action.type() == ActionType.RestartNodeService) {
                    span = first >= 0 && i <= last ? 0 : 1;
                }
                if (span > 0) {
                    outageWaves += span;
                    first = first < 0 ? i : first;
                    last = Math.max(last, i + span - 1);
                }
            }
            if (first >= 0) {
                lead = Math.min(lead, first);
                tail = Math.min(tail, actions.size() - 1 - last);
            }
        }
        int nodes = outageWaves == 0
                ? 0
                : (int) (lead + (outageWaves + maxUnavailableNodes - 1) / maxUnavailableNodes + tail);
        int etcd = 0;
        if (snapshot.etcd().isPresent()) {
            List<EtcdFacts.Member> members = snapshot.etcd().get().members();
            long healthy = members.stream().filter(EtcdFacts.Member::isHealthy).count();
            long tolerable = healthy - (members.size() / 2 + 1);
            long restarts = byId.values().stream()
                    .filter(a -> a.path() != null && a.path().startsWith("/etc/kubernetes/manifests/etcd"))
                    .filter(a -> members.stream().anyMatch(m -> m.name().equals(a.node()) && m.isHealthy()))
                    .count();
            if (restarts > 0 && tolerable > 0) {
                etcd = (int) ((restarts + tolerable - 1) / tolerable);
            }
        }
        return new WaveLowerBound(chain, nodes, etcd);
    }

    private static int depth(PlannedAction action, Map<String, PlannedAction> byId, Map<String, Integer> memo) {
        Integer known = memo.get(action.id());
        if (known != null) {
            return known;
        }
        int depth = 1;
        for (String before : action.after()) {
            depth = Math.max(depth, 1 + depth(byId.get(before), byId, memo));
        }
        memo.put(action.id(), depth);
        return depth;
    }
}
