package dev.remedy.risks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RiskBenchmarkTest {

    @Test
    void theBenchmarkRunsOnTheSmallestGeneratedCluster() {
        String line = RiskBenchmark.generated(100, true);

        assertThat(line)
                .contains("100 nodes")
                .contains("depth 1")
                .contains("depth 2")
                .contains("peak heap");
    }
}
