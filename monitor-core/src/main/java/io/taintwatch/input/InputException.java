package io.taintwatch.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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

    /**
     * A Jackson parser's failure at its location: a value past the read constraints says which limit; anything else is
     * malformed input, described after {@code what} ("not valid JSON"). {@code line} is used where the exception has
     * no location (Jackson's constraint exceptions have none).
     */
    public static InputException of(String file, long line, JsonProcessingException e, InputLimits limits, String what) {
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            line = e.getLocation().getLineNr();
        }
        String reason = e instanceof StreamConstraintsException
            ? "a value longer than " + limits.maxFieldChars() + " characters, the limit for this kind of input (" + e.getOriginalMessage() + ")"
            : what + e.getOriginalMessage();
        return new InputException(file, line, reason, e);
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
