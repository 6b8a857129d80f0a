package io.taintwatch.ingest.source.rpc;

import java.util.Locale;
import org.web3j.protocol.core.Response;

/**
 * How ingest reads a JSON-RPC error object (web3j's {@link Response.Error}, kept as data so that callers decide, e.g.
 * fall back when a method is not supported).
 */
public final class RpcError {
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INVALID_REQUEST = -32600;
    public static final int LIMIT_EXCEEDED = -32005;
    /** The longest part of a node's error message quoted in logs and exceptions. */
    static final int MAX_MESSAGE_CHARS = 300;

    private RpcError() {}

    public static boolean methodNotFound(Response.Error e) {
        String m = lower(e);
        return e.getCode() == METHOD_NOT_FOUND || m.contains("method not found") || m.contains("does not exist")
            || m.contains("not supported") || m.contains("unsupported method") || m.contains("not available");
    }

    /** Rate limits and transient backend states that a retry may clear. */
    public static boolean retriable(Response.Error e) {
        String m = lower(e);
        return e.getCode() == LIMIT_EXCEEDED || e.getCode() == 429 || m.contains("rate limit") || m.contains("too many requests")
            || m.contains("limit exceeded") || m.contains("timeout") || m.contains("timed out") || m.contains("try again")
            || m.contains("header not found") || m.contains("busy");
    }

    /** The metric kind of an error object (null: a batch answered by something that is not an error object). */
    public static RpcErrorKind kind(Response.Error e) {
        if (e == null) {
            return RpcErrorKind.BAD_RESPONSE;
        }
        String m = lower(e);
        return e.getCode() == LIMIT_EXCEEDED || e.getCode() == 429 || m.contains("rate limit") || m.contains("too many requests")
            || m.contains("limit exceeded") ? RpcErrorKind.RATE_LIMITED : RpcErrorKind.RPC_ERROR;
    }

    /**
     * The error as text for logs and exceptions: code and message, the message scrubbed of the endpoint's secrets (a
     * provider may quote the request URL) before it is cut to {@value #MAX_MESSAGE_CHARS} characters.
     */
    public static String describe(Response.Error e, RedactedUrl endpoint) {
        if (e == null) {
            return "no JSON-RPC error object";
        }
        String m = endpoint == null ? e.getMessage() : endpoint.excerpt(e.getMessage(), MAX_MESSAGE_CHARS);
        return "JSON-RPC error " + e.getCode() + ": " + m;
    }

    private static String lower(Response.Error e) {
        return e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    }
}
