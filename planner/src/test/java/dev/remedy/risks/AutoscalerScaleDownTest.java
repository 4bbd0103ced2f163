package dev.remedy.risks;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoscalerScaleDownTest {

    private static final long GIB = 1L << 30;

    private final List<ModelNode> nodes = new ArrayList<>();
    private final List<ModelPod> pods = new ArrayList<>();
    private final List<ModelWorkload> workloads = new ArrayList<>();
    private final List<ModelPdb> pdbs = new ArrayList<>();

    private void node(String name, String zone) {
        nodes.add(new ModelNode(
                name,
                zone,
                4000,
                16 * GIB,
                110,
                Map.of("kubernetes.io/hostname", name, ModelNode.ZONE, zone),
                List.of(),
                false,
                false,
                false,
                "1"));
    }

    /** One pod of a Deployment named {@code app}: replicated, movable unless a budget or a selector says no. */
    private void pod(String app, String node, long cpuMillis) {
        pod(app, node, cpuMillis, Map.of());
    }

    private void pod(String app, String node, long cpuMillis, Map<String, String> nodeSelector) {
        String workload = ModelWorkload.key("Deployment", "shop", app);
        if (workloads.stream().noneMatch(w -> w.key().equals(workload))) {
            workloads.add(new ModelWorkload("Deployment", "shop", app, 0, LabelSelection.of(Map.of("app", app)), "1"));
        }
        pods.add(new ModelPod(
                "shop",
                app + "-" + pods.size(),
                node,
                cpuMillis,
                GIB,
                Map.of("app", app),
                List.of(),
                nodeSelector,
                null,
                List.of(),
                workload,
                false,
                false,
                true,
                true,
                false,
                null));
    }

    private ClusterModel model() {
        return new ClusterModel(nodes, pods, workloads, List.of(), pdbs, List.of(), List.of(), true);
    }

    private static List<String> removed(ClusterModel model) {
        return Arrays.stream(AutoscalerScaleDown.unneededNodes(model))
                .mapToObj(n -> model.nodes.get(n).name())
                .toList();
    }

    @Test
    void removesTheLeastUsedNodesUntilTheMovedPodsPushTheNextAboveTheThreshold() {
        node("w1", "a");
        node("w2", "a");
        node("w3", "b");
        pod("cart", "w1", 400);
        pod("cart", "w2", 800);
        for (int i = 0; i < 4; i++) {
            pod("search", "w3", 500);
        }
        ClusterModel model = model();

        // w1 (10%) goes first, its pod lands on w2 (now 30%, still unneeded), whose two pods then fill w3 (50%, never
        // a candidate) to 80%.
        assertThat(removed(model)).containsExactly("w1", "w2");
        RiskEvent scaleDown = EventCatalog.events(model).stream()
                .filter(e -> e.type() == EventType.AUTOSCALER_SCALE_DOWN)
                .findFirst()
                .orElseThrow();
        Simulation simulation = new Simulator(model).simulate(List.of(scaleDown));
        assertThat(simulation.pendingPods()).isZero();
        assertThat(simulation.outages()).isEmpty();
    }

    @Test
    void keepsANodeWhosePodsFitNowhereElse() {
        node("w1", "a");
        node("w2", "b");
        node("w3", "c");
        pod("cart", "w1", 400);
        pod("gpu-job", "w2", 400, Map.of("kubernetes.io/hostname", "w2"));
        for (int i = 0; i < 4; i++) {
            pod("search", "w3", 500);
        }

        assertThat(removed(model())).containsExactly("w1");
    }

    /** w1 and w2 at 10% with one ledger pod each, w3 at exactly the threshold, so never a candidate. */
    private void ledgerOnW1AndW2AndSearchFillingHalfOfW3() {
        node("w1", "a");
        node("w2", "b");
        node("w3", "c");
        pod("ledger", "w1", 400);
        pod("ledger", "w2", 400);
        for (int i = 0; i < 4; i++) {
            pod("search", "w3", 500);
        }
    }

    @Test
    void keepsANodeWhoseDrainABudgetWouldRefuse() {
        ledgerOnW1AndW2AndSearchFillingHalfOfW3();
        pdbs.add(new ModelPdb("shop", "ledger", LabelSelection.of(Map.of("app", "ledger")), new IntOrString(2), null));

        assertThat(removed(model())).isEmpty();
        assertThat(EventCatalog.events(model())).noneMatch(e -> e.type() == EventType.AUTOSCALER_SCALE_DOWN);
    }

    @Test
    void aBudgetThatAllowsAnEvictionDoesNotKeepTheNodes() {
        ledgerOnW1AndW2AndSearchFillingHalfOfW3();
        pdbs.add(new ModelPdb("shop", "ledger", LabelSelection.of(Map.of("app", "ledger")), new IntOrString(1), null));

        assertThat(removed(model())).containsExactly("w1", "w2");
    }

    @Test
    void findsTheSameNodesWhateverTheOrderOfTheRecords() {
        for (int n = 0; n < 30; n++) {
            node(String.format("n%02d", n), "z" + n % 3);
        }
        for (int n = 0; n < 30; n++) {
            for (int i = 0; i <= n % 4; i++) {
                pod("app" + i, String.format("n%02d", n), 100 + 150 * ((n * 7 + i) % 5));
            }
        }
        List<String> forwards = removed(model());
        java.util.Collections.reverse(pods);
        List<String> backwards = removed(model());

        assertThat(forwards).isNotEmpty().hasSizeLessThan(30).isEqualTo(backwards);
    }
}
