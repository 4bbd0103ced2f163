package dev.remedy.execute;

/** A target that changed since planning: the run stops before touching it. */
public class StaleTargetException extends ExecutionException {
    public StaleTargetException(String message) {
        super(message);
    }
}
