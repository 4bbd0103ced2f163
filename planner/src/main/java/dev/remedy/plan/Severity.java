package dev.remedy.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/** How bad a finding is: critical findings are outages or about to be. */
public enum Severity {
    CRITICAL,
    WARNING,
    INFO;

    @JsonValue
    public String yaml() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
