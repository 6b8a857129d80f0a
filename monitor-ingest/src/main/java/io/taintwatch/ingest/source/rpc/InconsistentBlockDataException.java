package io.taintwatch.ingest.source.rpc;

/**
 * The node's answers for one block do not fit together (receipts from another fork, a hash the node does not know, a
 * block missing below the head it reported, a value that does not decode); worth a retry, on the next endpoint when
 * there is one. Names the endpoint whose answer is held to blame when known.
 */
public final class InconsistentBlockDataException extends RuntimeException {
    private final RpcErrorKind kind;
    private final RedactedUrl endpoint;

    public InconsistentBlockDataException(String message) {
        this(message, RpcErrorKind.INCONSISTENT, null);
    }

    public InconsistentBlockDataException(String message, RpcErrorKind kind, RedactedUrl endpoint) {
        super(message);
        this.kind = kind;
        this.endpoint = endpoint;
    }

    public RpcErrorKind kind() {
        return kind;
    }

    /** The endpoint that sent the answer found wrong, or null (then the current one is blamed). */
    public RedactedUrl endpoint() {
        return endpoint;
    }
}
