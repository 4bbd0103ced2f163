package dev.remedy.execute;

import java.time.Duration;
import java.util.Map;

/** The verification checks a plan names after each wave (nodes Ready, restart counts no longer rising ...). */
public interface Checks {

    /** Runs {@code check}, waiting up to {@code timeout} for it to pass. */
    Result run(Map<String, Object> check, Duration timeout);

    /** What a check found: passed, failed (the run stops), or only a person can check it. */
    record Result(Status status, String message) {

        public static Result passed(String message) {
            return new Result(Status.PASSED, message);
        }

        public static Result failed(String message) {
            return new Result(Status.FAILED, message);
        }

        public static Result byHand(String message) {
            return new Result(Status.BY_HAND, message);
        }
    }

    /** The outcome of a check. */
    enum Status {
        PASSED,
        FAILED,
        BY_HAND
    }
}
