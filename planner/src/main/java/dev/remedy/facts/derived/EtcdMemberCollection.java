package dev.remedy.facts.derived;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code etcdMembers}: every etcd member as measured, with the node it runs on when that can be told. A fact
 * that was not measured (health, leadership, latency) is left out, so that a member that was not reached is
 * never counted as healthy nor as down.
 */
public final class EtcdMemberCollection implements FactCollection {

    @Override
    public String name() {
        return "etcdMembers";
    }

    @Override
    public String description() {
        return "an etcd member with its measured health, leadership, version and linearizable read latency";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        if (snapshot.etcd().isEmpty()) {
            return List.of();
        }
        List<EtcdFacts.Member> members = new ArrayList<>(snapshot.etcd().get().members());
        members.sort(Comparator.comparing(EtcdFacts.Member::name));
        List<Map<String, Object>> result = new ArrayList<>();
        for (EtcdFacts.Member member : members) {
            String node = nodeOf(snapshot, member);
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("ref", Facts.ref("EtcdMember", null, member.name(), node));
            fact.put("name", member.name());
            putIfKnown(fact, "node", node);
            putIfKnown(fact, "id", member.id());
            putIfKnown(fact, "clientURL", member.clientURL());
            putIfKnown(fact, "healthy", member.healthy());
            putIfKnown(fact, "leader", member.leader());
            putIfKnown(fact, "learner", member.learner());
            putIfKnown(fact, "version", member.version());
            putIfKnown(fact, "readLatencyMs", member.readLatencyMs());
            putIfKnown(fact, "dbSizeBytes", member.dbSizeBytes());
            putIfKnown(fact, "error", member.error());
            result.add(fact);
        }
        return result;
    }

    private static String nodeOf(Snapshot snapshot, EtcdFacts.Member member) {
        for (Node node : snapshot.nodes()) {
            String name = node.getMetadata().getName();
            if (Facts.etcdMember(snapshot, name)
                    .map(m -> m.name().equals(member.name()))
                    .orElse(false)) {
                return name;
            }
        }
        return null;
    }

    private static void putIfKnown(Map<String, Object> fact, String key, Object value) {
        if (value != null) {
            fact.put(key, value);
        }
    }
}
