package dev.remedy.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.plan.ActionType;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.Risk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptNodeActionsTest {

    @TempDir
    Path directory;

    @Test
    void writesARuntimeAndKubeletRestartAsOneScriptThatRestartsBothInOrder() throws Exception {
        PlannedAction restart = new PlannedAction(
                "A9",
                ActionType.RestartNodeService,
                "node-1",
                null,
                null,
                Map.of("services", List.of("containerd", "kubelet")),
                List.of(),
                List.of(),
                List.of("F7"),
                Risk.MEDIUM,
                "load the CNI config again",
                List.of());
        ScriptNodeActions actions = new ScriptNodeActions(directory, "plan-1", null);

        assertThatThrownBy(() -> actions.run(restart, NodeScript.forAction("plan-1", restart, Optional.empty())))
                .isInstanceOf(ScriptNodeActions.PausedException.class)
                .hasMessageContaining("A9-node-1.sh");

        String script = Files.readString(directory.resolve("A9-node-1.sh"));
        assertThat(script)
                .containsSubsequence(
                        "\"${SYSTEMCTL[@]}\" restart 'containerd'", "\"${SYSTEMCTL[@]}\" restart 'kubelet'");
        assertThat(directory.resolve("A9-node-1.rollback.sh")).doesNotExist();
    }
}
