package io.taintwatch.ingest.source.rpc;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * Decides once whether a failure is worth a retry: connection errors, timeouts, HTTP 408/413/429/5xx and rate-limit
 * JSON-RPC errors are retriable; HTTP 401/403 (credentials), other 4xx (bad request), and anything unexpected are
 * permanent. Walks the cause chain, so a timeout wrapped in other exceptions is still recognised.
 */
public final class RpcErrorClassifier {
    private RpcErrorClassifier() {}

    public static boolean retriableStatus(int status) {
        return status == 408 || status == 413 || status == 425 || status == 429 || (status >= 500 && status <= 599);
    }

    public static boolean retriable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RpcException r) {
                return r.retriable();
            }
            if (c instanceof HttpTimeoutException || c instanceof SocketTimeoutException || c instanceof ConnectException
                || c instanceof ClosedChannelException) {
                return true;
            }
            if (c instanceof IOException) {
                // connection reset, EOF mid-body, broken pipe: transport trouble
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** The metric kind of a transport failure: a timeout, else connection trouble (refused, reset, cut short). */
    public static RpcErrorKind kind(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RpcException r) {
                return r.kind();
            }
            if (c instanceof HttpTimeoutException || c instanceof SocketTimeoutException) {
                return RpcErrorKind.TIMEOUT;
            }
        }
        return t instanceof IOException ? RpcErrorKind.CONNECTION : RpcErrorKind.OTHER;
    }

    /** A short class name for metrics and messages. */
    public static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HttpTimeoutException || c instanceof SocketTimeoutException) {
                return "timeout";
            }
            if (c instanceof ConnectException) {
                return "connection refused";
            }
        }
        return t.getClass().getSimpleName();
    }
}
