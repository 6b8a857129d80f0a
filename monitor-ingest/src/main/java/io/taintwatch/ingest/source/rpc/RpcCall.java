package io.taintwatch.ingest.source.rpc;

import java.util.List;

/** One JSON-RPC call: method and positional parameters (serialised by Jackson). */
public record RpcCall(String method, List<Object> params) {
    public static RpcCall of(String method, Object... params) {
        return new RpcCall(method, List.of(params));
    }
}
