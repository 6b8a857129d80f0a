package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to one call: a result (possibly JSON null) or an error, never both. */
public record RpcResult(RpcCall call, JsonNode result, RpcError error) {
    public boolean ok() {
        return error == null;
    }
}
