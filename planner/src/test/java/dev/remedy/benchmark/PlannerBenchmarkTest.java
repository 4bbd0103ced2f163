package dev.remedy.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerBenchmarkTest {

    @Test
    void runsTheBenchmarkAtTheSmallestSize(@TempDir Path directory) {
        PlannerBenchmark.Row row = PlannerBenchmark.run(10, directory.resolve("cluster-10"), 5);

        System.out.println(PlannerBenchmark.header());
        System.out.println(PlannerBenchmark.format(row));
        assertThat(row.nodes()).isEqualTo(10);
        assertThat(row.warmUps()).isBetween(1, 5);
        assertThat(row.findings()).isPositive();
        assertThat(row.waves()).isGreaterThanOrEqualTo(row.lowerBound().value());
    }
}
