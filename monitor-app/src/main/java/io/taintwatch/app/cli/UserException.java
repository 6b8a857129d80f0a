package io.taintwatch.app.cli;

/** A problem in what the user asked for (a missing file, a bad value): exit code 2, one clear line. */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
