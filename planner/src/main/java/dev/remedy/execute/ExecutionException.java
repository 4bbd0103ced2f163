package dev.remedy.execute;

/** An action that must not or cannot be carried out; nothing was changed by it. */
public class ExecutionException extends RuntimeException {
    public ExecutionException(String message) {
        super(message);
    }
}
