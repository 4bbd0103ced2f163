package dev.remedy.facts;

/** A snapshot that cannot be read. The message names the file, the line, what was expected and a fix. */
public class SnapshotException extends RuntimeException {

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
