package dev.remedy.facts.live;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.SnapshotReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures the etcd cluster with {@code etcdctl}: the member list from the first member that answers, then the
 * status and health of every member, with an explicit, generous timeout that is reported. etcdctl's own
 * defaults (a 1 s dial timeout in old versions) made Toolforge take a slow etcd for a dead one; here a slow
 * member is healthy with a high read latency, and only a member that does not answer within the timeout is
 * unhealthy, with the timeout in its error.
 */
public final class EtcdCollector {

    /** Long enough that a disk-starved member still answers, short enough to keep a collection bounded. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Duration timeout;

    public EtcdCollector(Duration timeout) {
        this.timeout = timeout;
    }

    /** The flags every etcdctl call gets, so that no default timeout applies. */
    public List<String> timeoutFlags() {
        long seconds = Math.max(1, timeout.toSeconds());
        return List.of(
                "--command-timeout=" + seconds + "s", "--dial-timeout=" + Math.min(seconds, 10) + "s", "-w", "json");
    }

    /** Measures through the first of {@code candidates} that answers; empty when none does. */
    public Optional<EtcdFacts> collect(List<? extends Etcdctl> candidates, CollectionLog log) {
        List<String> refusals = new ArrayList<>();
        for (Etcdctl etcdctl : candidates) {
            try {
                Etcdctl.Result listed = run(etcdctl, "member", "list");
                if (listed.exitCode() != 0) {
                    refusals.add(etcdctl.where() + ": " + listed.reason());
                    continue;
                }
                List<EtcdctlJson.ListedMember> members = EtcdctlJson.memberList(listed.stdout());
                Etcdctl.Result status = run(etcdctl, "endpoint", "status", "--cluster");
                Etcdctl.Result health = run(etcdctl, "endpoint", "health", "--cluster");
                List<EtcdFacts.Member> facts = EtcdctlJson.merge(
                        members,
                        parseOrEmpty(() -> EtcdctlJson.endpointStatus(status.stdout())),
                        parseOrEmpty(() -> EtcdctlJson.endpointHealth(health.stdout())),
                        Math.max(1, timeout.toSeconds()));
                log.collected("etcd: " + facts.size() + " members measured with etcdctl from " + etcdctl.where()
                        + " (timeout " + Math.max(1, timeout.toSeconds()) + " s per member)");
                for (EtcdFacts.Member member : facts) {
                    if (!member.isHealthy()) {
                        log.problem("etcd member " + member.name(), member.error());
                    }
                }
                return Optional.of(
                        new EtcdFacts(SnapshotReader.API_VERSION, EtcdFacts.KIND, FactsMetadata.named("etcd"), facts));
            } catch (IOException | IllegalArgumentException e) {
                refusals.add(etcdctl.where() + ": " + e.getMessage());
            }
        }
        log.problem(
                "etcd",
                candidates.isEmpty()
                        ? "no etcd pod to run etcdctl in"
                        : "no member answered `etcdctl member list`: " + String.join("; ", refusals));
        return Optional.empty();
    }

    private Etcdctl.Result run(Etcdctl etcdctl, String... command) throws IOException {
        List<String> args = new ArrayList<>(timeoutFlags());
        args.addAll(List.of(command));
        return etcdctl.run(args);
    }

    private static <T> List<T> parseOrEmpty(java.util.function.Supplier<List<T>> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }
}
