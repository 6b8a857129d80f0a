package io.taintwatch.alerts.api;

import java.time.Duration;

/**
 * Limits of one HTTP server ({@link LimitedHttpServer}):
 * <ul>
 *   <li>{@code requestTimeout}: from a request's first byte to the end of its response; a connection over it is closed.
 *   A stream (SSE) is exempt while it waits, but each of its writes must finish within it (a client that stops reading
 *   is dropped).</li>
 *   <li>{@code maxConnections}: connections with an exchange in progress (a request being read, handled or streamed);
 *   a connection beyond it is closed at once, without an answer.</li>
 *   <li>{@code maxRequests}: requests handled at once, streams and probe paths not counted; beyond it {@code 503}.</li>
 *   <li>{@code maxStreams}: open SSE streams (the alert API's); beyond it {@code 503}.</li>
 * </ul>
 */
public record HttpLimits(Duration requestTimeout, int maxConnections, int maxRequests, int maxStreams) {
    public HttpLimits {
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP requestTimeout must be positive");
        }
        if (maxConnections < 1 || maxRequests < 1 || maxStreams < 0) {
            throw new IllegalArgumentException("HTTP limits: need maxConnections >= 1, maxRequests >= 1, maxStreams >= 0");
        }
    }

    /** 10 s per request, 1,000 connections in progress, 64 requests handled at once, 100 streams. */
    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(10), 1000, 64, 100);
    }
}
