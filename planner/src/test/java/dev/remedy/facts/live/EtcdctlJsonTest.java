package dev.remedy.facts.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.EtcdFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** etcdctl 3.4's JSON, as captured from a real run, merged into members. */
class EtcdctlJsonTest {

    private static final String MEMBERS = """
            {"header":{"cluster_id":15118495548433857066,"member_id":13668033151171901709,"raft_term":2},
             "members":[
              {"ID":13668033151171901709,"name":"cp1","peerURLs":["https://10.0.0.1:2380"],"clientURLs":["https://10.0.0.1:2379"]},
              {"ID":1,"name":"cp2","peerURLs":["https://10.0.0.2:2380"],"clientURLs":["https://10.0.0.2:2379"]},
              {"ID":2,"name":"","peerURLs":["https://10.0.0.3:2380"],"isLearner":true}]}
            """;
    private static final String STATUS = """
            [{"Endpoint":"https://10.0.0.1:2379","Status":{"header":{"member_id":13668033151171901709},
              "version":"3.4.23","dbSize":20480,"leader":13668033151171901709}}]
            """;
    private static final String HEALTH = """
            [{"endpoint":"https://10.0.0.1:2379","health":true,"took":"2.5s"},
             {"endpoint":"https://10.0.0.2:2379","health":false,"took":"30.0009s","error":"context deadline exceeded"}]
            """;

    @Test
    void reportsASlowMemberAsSlowAndASilentOneAsDownWithItsTimeout() {
        List<EtcdFacts.Member> members = EtcdctlJson.merge(
                EtcdctlJson.memberList(MEMBERS),
                EtcdctlJson.endpointStatus(STATUS),
                EtcdctlJson.endpointHealth(HEALTH),
                30);

        EtcdFacts.Member slow = members.get(0);
        assertThat(slow.id()).isEqualTo("bdae9bbc11dd390d");
        assertThat(slow.healthy()).isTrue();
        assertThat(slow.readLatencyMs()).isEqualTo(2500.0);
        assertThat(slow.leader()).isTrue();
        assertThat(slow.version()).isEqualTo("3.4.23");
        assertThat(slow.dbSizeBytes()).isEqualTo(20480L);

        EtcdFacts.Member silent = members.get(1);
        assertThat(silent.healthy()).isFalse();
        assertThat(silent.readLatencyMs()).isNull();
        assertThat(silent.error()).isEqualTo("no answer within 30 s (context deadline exceeded)");

        EtcdFacts.Member unstarted = members.get(2);
        assertThat(unstarted.name()).isEqualTo("2");
        assertThat(unstarted.healthy())
                .as("not measured is unknown, never healthy")
                .isNull();
        assertThat(unstarted.learner()).isTrue();
        assertThat(unstarted.error()).startsWith("not started");
    }

    @Test
    void readsGoDurations() {
        assertThat(EtcdctlJson.durationMs("1.038117ms")).isEqualTo(1.038);
        assertThat(EtcdctlJson.durationMs("850µs")).isEqualTo(0.85);
        assertThat(EtcdctlJson.durationMs("1m2.5s")).isEqualTo(62500.0);
        assertThat(EtcdctlJson.durationMs("soon")).isNull();
    }
}
