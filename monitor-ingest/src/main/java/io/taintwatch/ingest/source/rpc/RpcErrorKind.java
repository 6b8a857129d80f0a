package io.taintwatch.ingest.source.rpc;

import java.util.Locale;

/**
 * What went wrong in one JSON-RPC exchange, as the {@code kind} label of the ingest error metrics. Decided once where
 * the failure is seen ({@link JsonRpcClient}, or {@link EvmRpcSource} for answers that do not fit the chain).
 */
public enum RpcErrorKind {
    /** HTTP 429 or a rate-limit JSON-RPC error. */
    RATE_LIMITED,
    /** HTTP 5xx. */
    SERVER_ERROR,
    /** HTTP 401/403: the endpoint refuses our credentials. */
    AUTH,
    /** Any other non-200 HTTP status (408, 413 and 425 are retriable, the other 4xx permanent). */
    HTTP_ERROR,
    /** No answer within the request timeout. */
    TIMEOUT,
    /** Connection refused, reset, or closed before the whole answer arrived. */
    CONNECTION,
    /** A response body larger than the client reads ({@code RpcSettings.maxResponseBytes}). */
    TOO_LARGE,
    /** A 200 whose body is not JSON, is cut short, lacks answers, or holds values that do not decode. */
    BAD_RESPONSE,
    /** A JSON-RPC error object that is not a rate limit (method not found, invalid params, ...). */
    RPC_ERROR,
    /** Answers that do not fit the chain: a block hash the node does not know, a broken parent link, receipts of another block. */
    INCONSISTENT,
    /** The endpoint lacks blocks below the head it reported, or is behind another endpoint. */
    LAGGING,
    /** Anything else (interrupted, unexpected). */
    OTHER;

    /** The metric label: lower case with underscores. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a non-200 HTTP status. */
    public static RpcErrorKind ofStatus(int status) {
        if (status == 401 || status == 403) {
            return AUTH;
        }
        if (status == 429) {
            return RATE_LIMITED;
        }
        return status >= 500 && status <= 599 ? SERVER_ERROR : HTTP_ERROR;
    }
}
