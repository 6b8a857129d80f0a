package io.taintwatch.ingest.source.rpc;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a cap: a declared {@code Content-Length} above it, or more bytes than it
 * arriving, cancels the exchange (the connection is closed) and fails with {@link TooLargeException}, so a node or a
 * proxy cannot make the client buffer an unbounded answer.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body exceeded the cap. */
    public static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    private final long cap;
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private byte[] buf = new byte[8192];
    private int size;
    private Flow.Subscription subscription;

    private BoundedBody(long cap, long declared) {
        this.cap = cap;
        this.declared = declared;
    }

    public static HttpResponse.BodyHandler<byte[]> handler(long cap) {
        return info -> new BoundedBody(cap, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declared > cap) {
            s.cancel();
            result.completeExceptionally(new TooLargeException("the response declares " + declared + " bytes, more than the "
                + cap + " the client reads (RpcSettings.maxResponseBytes)"));
            return;
        }
        if (declared > buf.length) {
            // what is declared need not arrive: pre-size only up to a modest bound, grow from there
            buf = new byte[(int) Math.min(declared, 1 << 20)];
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if ((long) size + n > cap) {
                subscription.cancel();
                result.completeExceptionally(new TooLargeException("the response body exceeds the " + cap
                    + " bytes the client reads (RpcSettings.maxResponseBytes)"));
                return;
            }
            if (size + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(cap, Math.max((long) size + n, 2L * buf.length)));
            }
            b.get(buf, size, n);
            size += n;
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(size == buf.length ? buf : java.util.Arrays.copyOf(buf, size));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
