package dev.remedy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import dev.remedy.facts.SnapshotReader;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.solver.TimefoldWavePlanner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Nordstrom 2017 worked example: what its plan does about each of the incident's failures. */
class NordstromPlanTest {

    private static final RemediationPlan PLAN = plan(RepoPaths.plans().resolve("nordstrom-2017/snapshot"));

    private static RemediationPlan plan(Path snapshot) {
        return new Planner(KnowledgeBase.load(RepoPaths.knowledgeBase()), new TimefoldWavePlanner())
                .plan(new SnapshotReader().read(snapshot, snapshot.toString()), PlanOptions.defaults());
    }

    private static List<PlannedAction> actions() {
        return PLAN.spec().waves().stream().flatMap(w -> w.actions().stream()).toList();
    }

    @Test
    void editsEachApiserverManifestOnceForBothOfItsFindings() {
        List<PlannedAction> edits = actions().stream()
                .filter(a -> "/etc/kubernetes/manifests/kube-apiserver.yaml".equals(a.path()))
                .toList();

        assertThat(edits).hasSize(2).allSatisfy(edit -> {
            assertThat(edit.resolves()).hasSize(2);
            assertThat(edit.change().toString()).contains("--etcd-quorum-read=true", "--apiserver-count=3");
            assertThat(edit.preconditions().toString()).contains("fileSha256");
        });
    }

    @Test
    void setsThresholdsAndReservationsInTheKubeletUnitThenRestartsTheKubeletOnEachOomNode() {
        List<String> oomNodes =
                List.of("ip-10-0-1-21.us-west-2.compute.internal", "ip-10-0-2-22.us-west-2.compute.internal");

        for (String node : oomNodes) {
            assertThat(actions())
                    .filteredOn(a -> node.equals(a.node()))
                    .extracting(PlannedAction::type)
                    .containsExactly(ActionType.EditNodeFile, ActionType.RestartNodeService);
        }
    }

    @Test
    void drainsNoMoreThanOneNodeAtATimeInTheTwelveNodeCluster() {
        PLAN.spec().waves().forEach(wave -> assertThat(wave.actions().stream()
                        .filter(a -> a.type() == ActionType.DrainNode || a.type() == ActionType.RestartNodeService)
                        .count())
                .as("wave %d", wave.index())
                .isLessThanOrEqualTo(1));
    }
}
