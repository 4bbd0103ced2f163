package dev.remedy.execute;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The verification checks a plan names after each wave (nodes Ready, restart counts no longer rising ...). */
public interface Checks {

    /** Why {@code check} failed within {@code timeout}, or empty when it passed. */
    Optional<String> failure(Map<String, Object> check, Duration timeout);
}
