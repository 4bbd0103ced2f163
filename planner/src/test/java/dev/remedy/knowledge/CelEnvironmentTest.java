package dev.remedy.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CelEnvironmentTest {

    private static final CelEnvironment ENVIRONMENT = new CelEnvironment();

    private static boolean readsOnlyCluster(String source) {
        CelEnvironment.Compiled compiled = ENVIRONMENT.compile(source);
        assertThat(compiled.ok()).as(compiled.error()).isTrue();
        return compiled.readsOnlyCluster();
    }

    @Test
    void anExpressionOfTheClusterAndConstantsReadsOnlyTheCluster() {
        assertThat(readsOnlyCluster("cluster.controlPlaneVersion")).isTrue();
        assertThat(readsOnlyCluster("'v' + string(cluster.controlPlaneMinor + 1)"))
                .isTrue();
        assertThat(readsOnlyCluster("cluster.kubeletVersions.map(v, string(cluster.kubeletVersions[v]) + ' on ' + v)"
                        + ".join(', ')"))
                .isTrue();
    }

    @Test
    void anExpressionThatNamesTheSubjectOrTheItemAnywhereReadsMore() {
        assertThat(readsOnlyCluster("has(subject.name)")).isFalse();
        assertThat(readsOnlyCluster("cluster.nodeCount > 0 && subject.ready")).isFalse();
        assertThat(readsOnlyCluster("item.node")).isFalse();
        assertThat(readsOnlyCluster("cluster.nodes.filter(n, n == subject.name)"))
                .isFalse();
        assertThat(readsOnlyCluster("{'node': item}")).isFalse();
        // A loop variable named item counts as the item: not worth telling apart.
        assertThat(readsOnlyCluster("cluster.nodes.map(item, item)")).isFalse();
    }
}
