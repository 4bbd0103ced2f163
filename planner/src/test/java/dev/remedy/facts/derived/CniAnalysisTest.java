package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.NodeFacts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which /etc/cni/net.d file the runtime loads, and which plugin a file or DaemonSet belongs to. */
class CniAnalysisTest {

    private static final String FLANNEL =
            "{\"name\":\"cbr0\",\"plugins\":[{\"type\":\"flannel\",\"delegate\":{\"isDefaultGateway\":true}}]}";
    private static final String CALICO =
            "{\"name\":\"k8s-pod-network\",\"cniVersion\":\"0.3.1\",\"plugins\":[{\"type\":\"calico\"}]}";

    private static NodeFacts node(Map<String, String> files) {
        return new NodeFacts(
                "remedy.dev/v1alpha1",
                NodeFacts.KIND,
                new FactsMetadata("n1", null, null),
                files.entrySet().stream()
                        .map(e -> new NodeFacts.HostFile("/etc/cni/net.d/" + e.getKey(), e.getValue()))
                        .toList(),
                null,
                null);
    }

    @Test
    void theRuntimeLoadsTheFirstValidFileInNameOrderSoCalicoBeatsFlannel() {
        List<CniAnalysis.ConfigFile> configs = CniAnalysis.configs(node(Map.of(
                        "10-flannel.conflist", FLANNEL,
                        "10-calico.conflist", CALICO,
                        "calico-kubeconfig", "apiVersion: v1")))
                .orElseThrow();

        assertThat(configs)
                .extracting(c -> c.file().name())
                .containsExactly("10-calico.conflist", "10-flannel.conflist");
        assertThat(configs.stream()
                        .filter(CniAnalysis.ConfigFile::loadable)
                        .findFirst()
                        .orElseThrow()
                        .plugin())
                .isEqualTo("calico");
    }

    @Test
    void filesTheRuntimeCannotLoadAreSkippedWithTheReason() {
        List<CniAnalysis.ConfigFile> configs = CniAnalysis.configs(node(Map.of(
                        "00-broken.conf", "{\"type\": ",
                        "01-empty.conflist", "{\"name\":\"x\",\"plugins\":[]}",
                        "20-weave.conflist", "{\"name\":\"weave\",\"plugins\":[{\"type\":\"weave-net\"}]}")))
                .orElseThrow();

        assertThat(configs)
                .extracting(CniAnalysis.ConfigFile::loadable, CniAnalysis.ConfigFile::problem)
                .containsExactly(
                        tuple(false, "not valid JSON"), tuple(false, "a conflist without plugins"), tuple(true, null));
        assertThat(configs.get(2).plugin()).isEqualTo("weave");
    }

    @Test
    void aNodeWhoseCniDirectoryWasNotReadIsUnknownNotEmpty() {
        assertThat(CniAnalysis.configs(node(Map.of()))).isEmpty();
    }

    @Test
    void canalAndKubeRouterAreToldByFileNameBecauseTheirTypeIsAnotherPlugins() {
        assertThat(CniAnalysis.family("10-canal.conflist", "calico")).isEqualTo("canal");
        assertThat(CniAnalysis.family("10-kuberouter.conflist", "bridge")).isEqualTo("kube-router");
        assertThat(CniAnalysis.family("10-calico.conflist", "calico")).isEqualTo("calico");
    }

    @Test
    void aCidrContainsItsAddressesAndCoversItsSubnets() {
        Cidr cluster = Cidr.parse("10.244.0.0/16").orElseThrow();

        assertThat(cluster.contains("10.244.3.14")).contains(true);
        assertThat(cluster.contains("10.233.97.4")).contains(false);
        assertThat(cluster.contains("fd00::1")).isEmpty();
        assertThat(cluster.covers(Cidr.parse("10.244.2.0/24").orElseThrow())).isTrue();
        assertThat(cluster.covers(Cidr.parse("10.233.64.0/18").orElseThrow())).isFalse();
    }
}
