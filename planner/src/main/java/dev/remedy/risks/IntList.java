package dev.remedy.risks;

import java.util.Arrays;
import java.util.List;

/**
 * A growable list of ints for the simulator's per-event scratch lists: a zone loss marks thousands of pods, and
 * boxing each into a {@code List<Integer>} cost more than the marking.
 */
final class IntList {

    private int[] values = new int[16];
    private int size;

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    void sort() {
        Arrays.sort(values, 0, size);
    }

    /** A boxed copy, for the prover and the solver, which are asked only when first-fit leaves pods pending. */
    List<Integer> boxed() {
        return Arrays.stream(values, 0, size).boxed().toList();
    }
}
