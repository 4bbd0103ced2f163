package dev.remedy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.solver.TimefoldWavePlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd member changes a plan makes, in the order that keeps a majority of voters healthy. */
class EtcdQuorumPlanTest {

    private static final Path FIXTURE = RepoPaths.testResource("scenarios/apiserver-etcd-ca-mismatch/snapshot");

    private static RemediationPlan planWithMembers(Path dir, String version, boolean thirdHealthy) throws IOException {
        try (Stream<Path> files = Files.list(FIXTURE)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        StringBuilder etcd = new StringBuilder(
                "apiVersion: remedy.dev/v1alpha1\nkind: EtcdFacts\nmetadata:\n  name: etcd\nmembers:\n");
        String[][] members = {
            {"k8s-cp-1", "10.0.0.11", "true"},
            {"k8s-cp-2", "10.0.0.12", "true"},
            {"k8s-cp-3", "10.0.0.13", String.valueOf(thirdHealthy)}
        };
        for (String[] m : members) {
            etcd.append("- name: ")
                    .append(m[0])
                    .append("\n  clientURL: https://")
                    .append(m[1])
                    .append(":2379\n  healthy: ")
                    .append(m[2])
                    .append("\n  version: ")
                    .append(version)
                    .append('\n');
        }
        Files.writeString(dir.resolve("etcd.yaml"), etcd.toString());
        return new Planner(KnowledgeBase.bundled(), new TimefoldWavePlanner())
                .plan(new SnapshotReader().read(dir, dir.toString()), PlanOptions.defaults());
    }

    private static List<ActionType> etcdSteps(RemediationPlan plan) {
        String finding = plan.spec().findings().stream()
                .filter(f -> f.scenario().equals("etcd-quorum-at-risk"))
                .findFirst()
                .orElseThrow()
                .id();
        return plan.spec().waves().stream()
                .flatMap(w -> w.actions().stream())
                .filter(a -> a.resolves().contains(finding))
                .map(PlannedAction::type)
                .toList();
    }

    @Test
    void withoutLearnersADeadMemberIsRemovedBeforeItsReplacementIsAdded(@TempDir Path dir) throws IOException {
        assertThat(etcdSteps(planWithMembers(dir, "3.3.10", false)))
                .containsExactly(
                        ActionType.EtcdSnapshot,
                        ActionType.EtcdMemberRemove,
                        ActionType.Manual,
                        ActionType.EtcdMemberAdd);
    }

    @Test
    void withLearnersTheReplacementJoinsBeforeTheDeadMemberIsRemoved(@TempDir Path dir) throws IOException {
        assertThat(etcdSteps(planWithMembers(dir, "3.4.13", false)))
                .containsExactly(
                        ActionType.EtcdSnapshot,
                        ActionType.Manual,
                        ActionType.EtcdMemberAdd,
                        ActionType.EtcdMemberRemove);
    }

    @Test
    void threeHealthyMembersNeedNoChange(@TempDir Path dir) throws IOException {
        assertThat(planWithMembers(dir, "3.3.10", true).spec().findings())
                .noneMatch(f -> f.scenario().equals("etcd-quorum-at-risk"));
    }
}
