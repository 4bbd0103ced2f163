package dev.remedy.risks;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How likely an event set is: routine operations (drains, restarts) are high, hardware loss medium, a whole
 * zone low. Simultaneous events are one step less likely than the least likely of them.
 */
public enum Likelihood {
    HIGH,
    MEDIUM,
    LOW;

    Likelihood lower() {
        return this == HIGH ? MEDIUM : LOW;
    }

    @JsonValue
    public String yaml() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
