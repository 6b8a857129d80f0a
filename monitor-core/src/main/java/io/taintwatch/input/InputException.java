package io.taintwatch.input;

import java.io.IOException;

/** An input file that cannot be read on: malformed, or past one of its {@link InputLimits}. Printed as {@code file:line: reason}. */
public final class InputException extends IOException {
    private final String file;
    private final long line;
    private final String reason;

    public InputException(String file, long line, String reason, Throwable cause) {
        super(file + ":" + Math.max(0, line) + ": " + reason, cause);
        this.file = file;
        this.line = Math.max(0, line);
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    /** The 1-based line where reading stopped; 0 when not known (a limit of the byte stream, before any line). */
    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
