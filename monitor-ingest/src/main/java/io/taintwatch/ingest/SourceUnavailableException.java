package io.taintwatch.ingest;

/** The source failed for a reason that may pass (node down, rate limited, inconsistent answers): wait and retry. */
public class SourceUnavailableException extends RuntimeException {
    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
