package dev.remedy.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.Snapshot;
import dev.remedy.knowledge.KnowledgeBase;
import dev.remedy.plan.PlanOptions;
import dev.remedy.plan.PlanVerifier;
import dev.remedy.plan.PlanYaml;
import dev.remedy.plan.Planner;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.solver.TimefoldWavePlanner;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Property: for seeded generated clusters, every plan the solver makes passes the verifier, identically. */
class GeneratedClustersTest {

    private static final KnowledgeBase KNOWLEDGE_BASE = KnowledgeBase.bundled();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everySolverPlanPassesTheVerifier(long seed) {
        int nodes = 8 + (int) (seed * 7 % 30);
        Snapshot snapshot = ClusterGenerator.generate(new ClusterGenerator.Spec(nodes, 12, 0.4, seed))
                .snapshot("seed-" + seed + "-fingerprint");
        PlanOptions options = new PlanOptions(
                Optional.of(Instant.parse(ClusterGenerator.NOW)), Optional.of(seed % 2 == 0 ? "2" : "20%"));

        RemediationPlan plan = new Planner(KNOWLEDGE_BASE, new TimefoldWavePlanner()).plan(snapshot, options);
        RemediationPlan again = new Planner(KNOWLEDGE_BASE, new TimefoldWavePlanner()).plan(snapshot, options);

        assertThat(new PlanVerifier(options.maxUnavailableNodes(nodes)).verify(plan, snapshot))
                .isEmpty();
        assertThat(plan.spec().findings()).isNotEmpty();
        assertThat(PlanYaml.yaml(again)).isEqualTo(PlanYaml.yaml(plan));
    }

    @Test
    void theSameSpecGeneratesTheSameClusterWithServicesAndSpreadWorkloads() {
        ClusterGenerator.Spec spec = ClusterGenerator.Spec.ofSize(60, 7);
        ClusterGenerator.Cluster cluster = ClusterGenerator.generate(spec);

        assertThat(ClusterGenerator.generate(spec).objects()).isEqualTo(cluster.objects());
        assertThat(cluster.objects()).anyMatch(o -> o instanceof io.fabric8.kubernetes.api.model.Service);
        assertThat(cluster.objects())
                .filteredOn(o -> o instanceof io.fabric8.kubernetes.api.model.Pod pod
                        && pod.getSpec().getAffinity() != null)
                .isNotEmpty()
                .allSatisfy(o -> assertThat(((io.fabric8.kubernetes.api.model.Pod) o)
                                .getSpec()
                                .getAffinity()
                                .getPodAntiAffinity())
                        .isNotNull());
    }
}
