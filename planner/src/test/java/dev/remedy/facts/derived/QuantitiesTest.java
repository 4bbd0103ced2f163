package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void raisesAMemoryLimitByHalfRoundedUpToWholeMebibytes() {
        assertThat(Quantities.raisedMemoryLimit("256Mi")).contains("384Mi");
        assertThat(Quantities.raisedMemoryLimit("1Gi")).contains("1536Mi");
        assertThat(Quantities.raisedMemoryLimit("100M")).contains("144Mi");
        assertThat(Quantities.raisedMemoryLimit("134217729")).contains("193Mi");
    }

    @Test
    void aLimitThatIsNotAQuantityIsNotRaised() {
        assertThat(Quantities.raisedMemoryLimit("lots")).isEmpty();
        assertThat(Quantities.raisedMemoryLimit("0")).isEmpty();
        assertThat(Quantities.raisedMemoryLimit(null)).isEmpty();
    }

    @Test
    void readsCpuAsMillicores() {
        assertThat(Quantities.millicores("3920m")).contains(3920L);
        assertThat(Quantities.millicores("2")).contains(2000L);
        assertThat(Quantities.millicores("0.5")).contains(500L);
    }
}
