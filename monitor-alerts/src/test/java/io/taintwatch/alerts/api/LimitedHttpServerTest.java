package io.taintwatch.alerts.api;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LimitedHttpServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger working = new AtomicInteger();
    private final AtomicBoolean streamEnded = new AtomicBoolean();
    private LimitedHttpServer server;

    private void start(HttpLimits limits) throws IOException {
        server = LimitedHttpServer.create("test", new InetSocketAddress("127.0.0.1", 0), limits, Set.of("/health"));
        server.createContext("/health", ex -> answer(ex, "ok"));
        server.createContext("/quick", ex -> answer(ex, "quick"));
        server.createContext("/work", ex -> {
            working.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, "done");
        });
        server.createContext("/stream", this::stream);
        server.start();
    }

    private static void answer(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Writes a line every 50 ms, or 64 KiB chunks with {@code ?flood}, until the write fails. */
    private void stream(HttpExchange ex) throws IOException {
        LimitedHttpServer.Stream guard = LimitedHttpServer.stream();
        boolean flood = "flood".equals(ex.getRequestURI().getQuery());
        byte[] chunk = flood ? new byte[64 * 1024] : "tick\n".getBytes(StandardCharsets.US_ASCII);
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 2_000; i++) {
                guard.writing();
                out.write(chunk);
                out.flush();
                guard.written();
                if (!flood) {
                    Thread.sleep(50);
                }
            }
        } catch (IOException | InterruptedException e) {
            streamEnded.set(true);
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void trickledAndSilentConnectionsNeitherBlockOthersNorOutliveTheRequestTimeout() throws Exception {
        start(new HttpLimits(Duration.ofSeconds(2), 100, 10, 10));
        int port = server.getAddress().getPort();
        try (SlowClients slow = new SlowClients()) {
            List<SlowClients.Client> trickling = slow.trickle(port, 30, 100);
            slow.silent(port, 30);
            for (int i = 0; i < 5; i++) {
                assertThat(get("/health").statusCode()).isEqualTo(200);
                assertThat(get("/quick").body()).isEqualTo("quick");
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(trickling).allSatisfy(c -> assertThat(c.closedByServer()).isTrue()));
        }
    }

    @Test
    void beyondTheConnectionCapNewConnectionsAreClosedUnansweredUntilOthersFinish() throws Exception {
        start(new HttpLimits(Duration.ofSeconds(60), 5, 10, 10));
        int port = server.getAddress().getPort();
        try (SlowClients slow = new SlowClients()) {
            slow.trickle(port, 5, 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> SlowClients.statusLine(port, "/health") == null);
        }
        // the slow connections are gone: their exchanges end, and the server answers again
        await().atMost(Duration.ofSeconds(30)).until(() -> "HTTP/1.1 200 OK".equals(SlowClients.statusLine(port, "/health")));
    }

    @Test
    void beyondTheRequestCapTheAnswerIs503WhileProbesStillAnswer() throws Exception {
        start(new HttpLimits(Duration.ofSeconds(60), 100, 2, 10));
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/work")).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> working.get() == 2);
        HttpResponse<String> busy = get("/quick");
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.body()).contains("server busy");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get().body()).isEqualTo("done");
        }
        assertThat(get("/quick").statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamOutlivesTheRequestTimeoutWhileItsClientReads() throws Exception {
        start(new HttpLimits(Duration.ofMillis(300), 100, 10, 10));
        try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
            s.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            int ticks = 0;
            StringBuilder line = new StringBuilder();
            while (ticks < 40) { // 40 ticks at 50 ms: several request timeouts
                int b = in.read();
                assertThat(b).as("stream closed after %d ticks", ticks).isNotNegative();
                line.append((char) b);
                if (line.toString().endsWith("tick\n")) {
                    ticks++;
                    line.setLength(0);
                }
            }
            assertThat(streamEnded).isFalse();
        }
    }

    @Test
    void aStreamWhoseClientStopsReadingIsClosedOnceAWriteOutlastsTheRequestTimeout() throws Exception {
        start(new HttpLimits(Duration.ofMillis(500), 100, 10, 10));
        try (Socket s = new Socket("127.0.0.1", server.getAddress().getPort())) {
            s.setReceiveBufferSize(4096);
            s.getOutputStream().write("GET /stream?flood HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // never read: the server's socket buffer fills and its write blocks
            await().atMost(Duration.ofSeconds(30)).untilTrue(streamEnded);
        }
    }
}
