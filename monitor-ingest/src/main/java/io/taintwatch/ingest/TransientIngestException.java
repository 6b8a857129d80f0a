package io.taintwatch.ingest;

/**
 * A step failed for a reason that may pass (node down or rate limited after the client's retries, answers from two
 * views of the chain, a Kafka transaction that was rolled back): the worker waits and retries from its last checkpoint.
 */
public class TransientIngestException extends RuntimeException {
    public TransientIngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
