package dev.remedy.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/** How much an action or remedy can hurt if it goes wrong; the solver prefers the least. */
public enum Risk {
    LOW(1),
    MEDIUM(3),
    HIGH(9);

    private final int weight;

    Risk(int weight) {
        this.weight = weight;
    }

    /** The relative cost the solver gives this risk. */
    public int weight() {
        return weight;
    }

    @JsonValue
    public String yaml() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
