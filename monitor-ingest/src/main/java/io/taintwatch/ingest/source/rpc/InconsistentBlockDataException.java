package io.taintwatch.ingest.source.rpc;

/** The node's answers for one block do not fit together (e.g. receipts from another fork); worth a retry. */
public final class InconsistentBlockDataException extends RuntimeException {
    public InconsistentBlockDataException(String message) {
        super(message);
    }
}
