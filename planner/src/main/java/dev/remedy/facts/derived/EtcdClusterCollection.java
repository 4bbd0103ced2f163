package dev.remedy.facts.derived;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.Versions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code etcdCluster}: the etcd cluster as one item (when etcd facts were collected): voting members, how many
 * are healthy, the quorum, how many more failures it survives, slow members (slow is reported as slow, never
 * as down), and the safe order of member changes from {@link EtcdQuorum}.
 */
public final class EtcdClusterCollection implements FactCollection {

    /** One second: the default timeout of old etcdctl that made Toolforge's slow members look dead. */
    static final double SLOW_READ_MS = 1000;

    @Override
    public String name() {
        return "etcdCluster";
    }

    @Override
    public String description() {
        return "the etcd cluster: voting and healthy members, quorum, fault tolerance, slow members and the safe"
                + " order of member changes";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Optional<EtcdFacts> etcd = context.snapshot().etcd();
        if (etcd.isEmpty() || etcd.get().members().isEmpty()) {
            return List.of();
        }
        List<EtcdFacts.Member> members = etcd.get().members().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
        List<EtcdFacts.Member> voters =
                members.stream().filter(m -> !Boolean.TRUE.equals(m.learner())).toList();
        List<String> unhealthy = voters.stream()
                .filter(m -> !m.isHealthy())
                .map(EtcdFacts.Member::name)
                .toList();
        int healthy = voters.size() - unhealthy.size();
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("ref", Facts.ref("EtcdCluster", null, "etcd", null));
        fact.put("voters", voters.size());
        fact.put("learners", members.size() - voters.size());
        fact.put("healthy", healthy);
        fact.put("unhealthy", unhealthy);
        fact.put("quorum", EtcdQuorum.quorum(voters.size()));
        fact.put("faultTolerance", EtcdQuorum.faultTolerance(voters.size(), healthy));
        fact.put("even", voters.size() % 2 == 0);
        fact.put("quorumLost", healthy < EtcdQuorum.quorum(voters.size()));
        fact.put(
                "members", members.stream().map(EtcdClusterCollection::describe).toList());
        fact.put(
                "slow",
                members.stream()
                        .filter(m -> m.isHealthy() && m.readLatencyMs() != null && m.readLatencyMs() >= SLOW_READ_MS)
                        .map(m -> m.name() + " (" + Math.round(m.readLatencyMs()) + " ms per read, healthy)")
                        .toList());
        fact.put(
                "errors",
                members.stream()
                        .filter(m -> m.error() != null)
                        .map(m -> m.name() + ": " + m.error())
                        .toList());
        Optional<Versions> oldest = members.stream()
                .map(m -> Versions.parse(m.version()))
                .flatMap(Optional::stream)
                .min(Versions::compareTo);
        oldest.ifPresent(v -> fact.put("version", v.major() + "." + v.minor() + "." + v.patch()));
        boolean learners =
                oldest.map(v -> v.compareTo(new Versions(3, 4, 0)) >= 0).orElse(false);
        fact.put("learnersSupported", learners);
        List<Map<String, Object>> changes = new ArrayList<>();
        for (EtcdQuorum.Change change : EtcdQuorum.safeChanges(voters.size(), unhealthy, learners)) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("op", change.op());
            step.put("member", change.member());
            step.put("votersAfter", change.votersAfter());
            step.put("healthyAfter", change.healthyAfter());
            step.put("quorumAfter", change.quorumAfter());
            step.put("toleranceAfter", change.toleranceAfter());
            voters.stream()
                    .filter(m -> m.name().equals(change.member()))
                    .findFirst()
                    .ifPresent(m -> {
                        if (m.id() != null) {
                            step.put("id", m.id());
                        }
                        if (m.peerURL() != null) {
                            step.put("peerURL", m.peerURL());
                        }
                    });
            changes.add(step);
        }
        fact.put("changes", changes);
        fact.put(
                "adds",
                changes.stream().filter(c -> !c.get("op").equals("remove")).toList());
        fact.put(
                "removes",
                changes.stream().filter(c -> c.get("op").equals("remove")).toList());
        return List.of(fact);
    }

    private static String describe(EtcdFacts.Member member) {
        List<String> parts = new ArrayList<>();
        parts.add(member.healthy() == null ? "health unknown" : member.isHealthy() ? "healthy" : "unhealthy");
        if (Boolean.TRUE.equals(member.leader())) {
            parts.add("leader");
        }
        if (Boolean.TRUE.equals(member.learner())) {
            parts.add("learner");
        }
        if (member.version() != null) {
            parts.add("etcd " + member.version());
        }
        if (member.readLatencyMs() != null) {
            parts.add(Math.round(member.readLatencyMs()) + " ms per read");
        }
        return member.name() + " (" + String.join(", ", parts) + ")";
    }
}
