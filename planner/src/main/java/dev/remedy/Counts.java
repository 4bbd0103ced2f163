package dev.remedy;

/** Counts in the sentences people read: "1 node", "3 nodes". */
public final class Counts {

    private Counts() {}

    /** The count and its noun, with an "s" unless the count is one; for nouns whose plural adds an "s". */
    public static String of(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
