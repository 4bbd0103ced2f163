package dev.remedy;

import java.util.Arrays;

/**
 * How many times each number was counted, in the order each was first counted. Made for a handful of numbers per
 * owner (the budgets covering one node's pods), where a scan of a small array beats a map of boxed numbers; a
 * plain data structure, so that the solver and the independent verifier can each keep their own tallies with it.
 * Each number sits beside its count in one array: a pass over every pod adds to the tallies of nodes in no
 * particular order, and one array is one fetch from memory per visit, where two were two.
 */
public final class IntTally {

    private static final int[] NONE = new int[0];

    /** The numbers at even places, each followed by its count. */
    private int[] entries = NONE;

    private int size;

    /** Counts {@code number} once more. */
    public void add(int number) {
        int end = 2 * size;
        for (int i = 0; i < end; i += 2) {
            if (entries[i] == number) {
                entries[i + 1]++;
                return;
            }
        }
        if (end == entries.length) {
            entries = Arrays.copyOf(entries, Math.max(8, end * 2));
        }
        entries[end] = number;
        entries[end + 1] = 1;
        size++;
    }

    /** How many distinct numbers were counted. */
    public int size() {
        return size;
    }

    /** The {@code i}th distinct number, in the order first counted. */
    public int number(int i) {
        return entries[2 * i];
    }

    /** How many times the {@code i}th distinct number was counted. */
    public int count(int i) {
        return entries[2 * i + 1];
    }
}
