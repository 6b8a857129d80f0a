package io.taintwatch.demo;

import com.sun.net.httpserver.HttpServer;
import io.taintwatch.alerts.delivery.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** The demo's webhook receiver on loopback: verifies each delivery's HMAC signature and counts it. */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger verified = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    WebhookReceiver(String secret) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/webhook", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean ok = WebhookSigner.verify(secret, ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_TIMESTAMP),
                ex.getRequestHeaders().getFirst(WebhookSigner.HEADER_SIGNATURE), body, System.currentTimeMillis() / 1000, 300);
            (ok ? verified : rejected).incrementAndGet();
            ex.sendResponseHeaders(ok ? 200 : 401, -1);
            ex.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook");
    }

    int verified() {
        return verified.get();
    }

    int rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
