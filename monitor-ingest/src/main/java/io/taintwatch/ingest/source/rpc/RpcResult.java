package io.taintwatch.ingest.source.rpc;

import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;

/**
 * The answer to one request: web3j's response (a result, possibly null, or an error object, never both) and the
 * endpoint that gave it, so that an answer found wrong later is held against the endpoint that sent it.
 */
public record RpcResult<T extends Response<?>>(Request<?, ?> request, T response, RedactedUrl endpoint) {
    public boolean ok() {
        return !response.hasError();
    }

    /** The JSON-RPC error object, or null. */
    public Response.Error error() {
        return response.getError();
    }

    public String method() {
        return request.getMethod();
    }
}
