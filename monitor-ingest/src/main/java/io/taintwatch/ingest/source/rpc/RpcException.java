package io.taintwatch.ingest.source.rpc;

/**
 * A JSON-RPC exchange failed. {@link #retriable()} was decided once, by {@link RpcErrorClassifier}; messages never
 * contain endpoint credentials (only the {@link RedactedUrl} form).
 */
public class RpcException extends RuntimeException {
    private final boolean retriable;
    private final int httpStatus;
    private final long retryAfterMillis;

    public RpcException(String message, boolean retriable, int httpStatus, long retryAfterMillis, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
        this.httpStatus = httpStatus;
        this.retryAfterMillis = retryAfterMillis;
    }

    public boolean retriable() {
        return retriable;
    }

    /** The HTTP status, or -1 when the failure was not an HTTP answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The server's Retry-After in milliseconds, or -1. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
