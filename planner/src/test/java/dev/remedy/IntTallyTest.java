package dev.remedy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntTallyTest {

    @Test
    void countsEachNumberInTheOrderItWasFirstCounted() {
        IntTally tally = new IntTally();
        for (int number : new int[] {7, 3, 7, 0, 3, 7, 12, 5, 9}) {
            tally.add(number);
        }

        List<String> counted = new ArrayList<>();
        for (int i = 0; i < tally.size(); i++) {
            counted.add(tally.number(i) + "x" + tally.count(i));
        }
        assertThat(counted).containsExactly("7x3", "3x2", "0x1", "12x1", "5x1", "9x1");
    }

    @Test
    void anEmptyTallyHasNothing() {
        assertThat(new IntTally().size()).isZero();
    }
}
