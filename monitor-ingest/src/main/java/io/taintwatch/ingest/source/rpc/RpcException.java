package io.taintwatch.ingest.source.rpc;

/**
 * A JSON-RPC exchange failed. {@link #retriable()} was decided once, by {@link RpcErrorClassifier}; messages never
 * contain endpoint credentials (only the {@link RedactedUrl} form). {@link #kind()} is the metric label.
 */
public class RpcException extends RuntimeException {
    private final boolean retriable;
    private final int httpStatus;
    private final long retryAfterMillis;
    private final RpcErrorKind kind;

    public RpcException(String message, boolean retriable, int httpStatus, long retryAfterMillis, Throwable cause) {
        this(message, retriable, httpStatus, retryAfterMillis, cause, httpStatus > 0 && httpStatus != 200
            ? RpcErrorKind.ofStatus(httpStatus) : RpcErrorKind.OTHER);
    }

    public RpcException(String message, boolean retriable, int httpStatus, long retryAfterMillis, Throwable cause, RpcErrorKind kind) {
        super(message, cause);
        this.retriable = retriable;
        this.httpStatus = httpStatus;
        this.retryAfterMillis = retryAfterMillis;
        this.kind = kind;
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

    public RpcErrorKind kind() {
        return kind;
    }
}
