package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to one call: a result (possibly JSON null) or an error, never both, and the endpoint that gave it (null
 * when unknown), so that an answer found wrong later is held against the endpoint that sent it.
 */
public record RpcResult(RpcCall call, JsonNode result, RpcError error, RedactedUrl endpoint) {
    public RpcResult(RpcCall call, JsonNode result, RpcError error) {
        this(call, result, error, null);
    }

    public boolean ok() {
        return error == null;
    }
}
