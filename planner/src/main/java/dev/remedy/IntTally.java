package dev.remedy;

import java.util.Arrays;

/**
 * How many times each number was counted, in the order each was first counted. Made for a handful of numbers per
 * owner (the budgets covering one node's pods), where a scan of two small arrays beats a map of boxed numbers; a
 * plain data structure, so that the solver and the independent verifier can each keep their own tallies with it.
 */
public final class IntTally {

    private static final int[] NONE = new int[0];

    private int[] numbers = NONE;
    private int[] counts = NONE;
    private int size;

    /** Counts {@code number} once more. */
    public void add(int number) {
        for (int i = 0; i < size; i++) {
            if (numbers[i] == number) {
                counts[i]++;
                return;
            }
        }
        if (size == numbers.length) {
            numbers = Arrays.copyOf(numbers, Math.max(4, size * 2));
            counts = Arrays.copyOf(counts, numbers.length);
        }
        numbers[size] = number;
        counts[size] = 1;
        size++;
    }

    /** How many distinct numbers were counted. */
    public int size() {
        return size;
    }

    /** The {@code i}th distinct number, in the order first counted. */
    public int number(int i) {
        return numbers[i];
    }

    /** How many times the {@code i}th distinct number was counted. */
    public int count(int i) {
        return counts[i];
    }
}
