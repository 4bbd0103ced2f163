package dev.remedy.cli;

/** A failure caused by what the user asked for, reported as one line with exit code 1. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }
}
