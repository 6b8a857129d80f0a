package io.taintwatch.labels;

import java.util.Objects;

/** One rejected row or one thing a user must know about an input file, printed as {@code file:line: reason}. */
public record ImportProblem(String file, long line, String reason) {
    public ImportProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative, got " + line);
        }
    }

    /** {@code file:line: reason}, the form compilers use, so editors can jump to the row. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
