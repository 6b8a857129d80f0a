package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** A JSON-RPC error object, kept as data so callers decide (e.g. fall back when a method is not supported). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RpcError(int code, String message, JsonNode data) {
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INVALID_REQUEST = -32600;
    public static final int LIMIT_EXCEEDED = -32005;

    public boolean methodNotFound() {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return code == METHOD_NOT_FOUND || m.contains("method not found") || m.contains("does not exist")
            || m.contains("not supported") || m.contains("unsupported method") || m.contains("not available");
    }

    /** Rate limits and transient backend states that a retry may clear. */
    public boolean retriable() {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return code == LIMIT_EXCEEDED || code == 429 || m.contains("rate limit") || m.contains("too many requests")
            || m.contains("limit exceeded") || m.contains("timeout") || m.contains("timed out") || m.contains("try again")
            || m.contains("header not found") || m.contains("busy");
    }

    @Override
    public String toString() {
        return "JSON-RPC error " + code + ": " + message;
    }
}
