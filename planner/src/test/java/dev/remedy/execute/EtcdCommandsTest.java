package dev.remedy.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.plan.ActionType;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.Risk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdCommandsTest {

    private static PlannedAction action(ActionType type, Map<String, Object> change) {
        return new PlannedAction(
                "A1",
                type,
                null,
                null,
                null,
                change,
                List.of(),
                List.of(),
                List.of("F1"),
                Risk.MEDIUM,
                "because",
                List.of());
    }

    @Test
    void aSnapshotIsSavedAndCheckedWithAGenerousTimeout() {
        assertThat(EtcdCommands.of(action(ActionType.EtcdSnapshot, Map.of("to", "/var/lib/etcd-backup/a.db"))))
                .hasValueSatisfying(c -> assertThat(c)
                        .contains(
                                "--command-timeout=30s",
                                "snapshot save '/var/lib/etcd-backup/a.db'",
                                "snapshot status -w table"));
    }

    @Test
    void aMemberIsRemovedByIdOrLookedUpByName() {
        assertThat(EtcdCommands.of(
                        action(ActionType.EtcdMemberRemove, Map.of("member", "tools-k8s-etcd-2", "id", "8e9e"))))
                .hasValueSatisfying(c -> assertThat(c).endsWith("member remove 8e9e"));
        assertThat(EtcdCommands.of(action(ActionType.EtcdMemberRemove, Map.of("member", "m2"))))
                .hasValueSatisfying(c -> assertThat(c).contains("member list", "'m2'"));
    }

    @Test
    void aLearnerIsAddedAsALearner() {
        assertThat(EtcdCommands.of(action(ActionType.EtcdMemberAdd, Map.of("member", "m4", "learner", true))))
                .hasValueSatisfying(
                        c -> assertThat(c).contains("member add 'm4'").endsWith(" --learner"));
    }

    @Test
    void aMemberIsAddedWithThePeerUrlKubeadmJoinLooksFor() {
        assertThat(EtcdCommands.of(action(
                        ActionType.EtcdMemberAdd,
                        Map.of("member", "cp-4", "peerURL", "https://<advertise-address-of-cp-4>:2380"))))
                .as("a placeholder left unquoted fails in the shell as a redirection if not filled in")
                .hasValueSatisfying(c -> assertThat(c)
                        .endsWith("member add 'cp-4' --peer-urls=https://<advertise-address-of-cp-4>:2380"));
        assertThat(EtcdCommands.of(action(
                        ActionType.EtcdMemberAdd, Map.of("member", "cp-4", "peerURL", "https://[fd00::4]:2380"))))
                .hasValueSatisfying(c -> assertThat(c).endsWith("--peer-urls='https://[fd00::4]:2380'"));
        assertThat(EtcdCommands.of(action(
                        ActionType.EtcdMemberAdd,
                        Map.of("member", "m4", "peerURL", "the peer URL of the host provisioned in the step before"))))
                .hasValueSatisfying(c -> assertThat(c).endsWith("--peer-urls=<the new member's peer URL>"));
    }
}
