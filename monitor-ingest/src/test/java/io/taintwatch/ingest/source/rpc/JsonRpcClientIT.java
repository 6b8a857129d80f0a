package io.taintwatch.ingest.source.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.ingest.metrics.IngestMetrics;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthGetBlockReceipts;

/** The JSON-RPC client against real HTTP servers that misbehave in scripted ways. */
class JsonRpcClientIT {
    static final RpcSettings FAST = RpcSettings.defaults().withRetries(5, Duration.ofMillis(10), Duration.ofMillis(50)).withTimeout(Duration.ofSeconds(2));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final IngestMetrics metrics = new IngestMetrics(registry);

    JsonRpcClient client(RpcSettings s, String... urls) {
        return new JsonRpcClient(List.of(urls), s, metrics);
    }

    /** The fake servers' {@code eth_echo}: the result is the first parameter. */
    public static final class Echo extends Response<JsonNode> {}

    static Request<?, Echo> echo(JsonRpcClient c, Object param) {
        return new Request<>("eth_echo", List.of(param), c, Echo.class);
    }

    static List<Request<?, Echo>> calls(JsonRpcClient c, int n) {
        List<Request<?, Echo>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(echo(c, "v" + i));
        }
        return l;
    }

    @Test
    void rateLimitIsRetriedAfterRetryAfter() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> {
            if (n == 0) {
                ex.getResponseHeaders().add("Retry-After", "0");
                FakeRpcServer.respond(ex, 429, "slow down");
            } else {
                FakeRpcServer.echo(calls, ex, calls.size() > 1);
            }
        }); JsonRpcClient c = client(FAST, s.url("/"))) {
            assertThat(echo(c, "hello").send().getResult().asText()).isEqualTo("hello");
            assertThat(s.requests.get()).isEqualTo(2);
            assertThat(registry.find(IngestMetrics.RPC_RETRIES).counter().count()).isEqualTo(1);
        }
    }

    @Test
    void serverErrorFailsOverToTheNextEndpoint() throws Exception {
        try (FakeRpcServer bad = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 502, "bad gateway"));
             FakeRpcServer good = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.echo(calls, ex, calls.size() > 1));
             JsonRpcClient c = client(FAST, bad.url("/v2/key1"), good.url("/v2/key2"))) {
            assertThat(echo(c, 7).send().getResult().asInt()).isEqualTo(7);
            assertThat(bad.requests.get()).isEqualTo(1);
            assertThat(good.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void connectionRefusedIsRetriableAndFailsOver() throws Exception {
        int closedPort;
        try (ServerSocket ss = new ServerSocket(0)) {
            closedPort = ss.getLocalPort();
        }
        try (FakeRpcServer good = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.echo(calls, ex, calls.size() > 1));
             JsonRpcClient c = client(FAST, "http://127.0.0.1:" + closedPort + "/secretpath", good.url("/"))) {
            assertThat(echo(c, "x").send().getResult().asText()).isEqualTo("x");
        }
    }

    @Test
    void authFailureFailsFastWithoutLeakingTheKey() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 401, "{\"error\":\"invalid key\"}"));
             JsonRpcClient c = client(FAST, s.url("/v3/TOPSECRETKEY"))) {
            assertThatThrownBy(() -> Web3j.build(c).ethBlockNumber().send())
                .isInstanceOf(RpcException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("credentials").hasMessageNotContaining("TOPSECRETKEY")
                .satisfies(e -> assertThat(((RpcException) e).retriable()).isFalse());
            assertThat(s.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void userInfoInTheUrlGoesAsBasicAuthenticationNotInTheRequestLine() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> {
            seen.add(ex.getRequestHeaders().getFirst("Authorization") + " " + ex.getRequestURI());
            FakeRpcServer.echo(calls, ex, calls.size() > 1);
        }); JsonRpcClient c = client(FAST, s.url("/rpc?x=%26y").replace("http://", "http://rpcuser:p%40ss:w0rd@"))) {
            assertThat(echo(c, "hi").send().getResult().asText()).isEqualTo("hi");
            // user info decoded ("p@ss:w0rd"), base64 of "rpcuser:p@ss:w0rd"
            assertThat(seen).containsExactly("Basic " + java.util.Base64.getEncoder().encodeToString("rpcuser:p@ss:w0rd".getBytes(StandardCharsets.UTF_8))
                + " /rpc?x=%26y");
        }
    }

    @Test
    void methodNotFoundComesBackAsData() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 200,
                "{\"jsonrpc\":\"2.0\",\"id\":" + calls.get(0).get("id") + ",\"error\":{\"code\":-32601,\"message\":\"the method eth_getBlockReceipts does not exist/is not available\"}}"));
             JsonRpcClient c = client(FAST, s.url("/"))) {
            Web3j web3j = Web3j.build(c);
            RpcResult<EthGetBlockReceipts> r = c.batch(List.of(web3j.ethGetBlockReceipts(DefaultBlockParameter.valueOf(BigInteger.ONE)))).get(0);
            assertThat(r.ok()).isFalse();
            assertThat(RpcError.methodNotFound(r.error())).isTrue();
            assertThat(web3j.ethGetBlockReceipts(DefaultBlockParameter.valueOf(BigInteger.ONE)).send().getError().getCode()).isEqualTo(-32601);
            assertThat(s.requests.get()).isEqualTo(2);
        }
    }

    @Test
    void batchTooLargeIsHalvedUntilTheNodeAcceptsIt() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> {
            if (calls.size() > 2) {
                FakeRpcServer.respond(ex, 503, "batch too large");
            } else {
                FakeRpcServer.echo(calls, ex, true);
            }
        }); JsonRpcClient c = client(FAST.withMaxBatch(8), s.url("/"))) {
            List<RpcResult<Echo>> rs = c.batch(calls(c, 13));
            assertThat(rs).extracting(r -> r.response().getResult().asText()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 13).mapToObj(i -> "v" + i).toList());
            assertThat(c.batchSize()).isEqualTo(2);
            assertThat(s.batchSizes).contains(8, 4, 2);
        }
    }

    @Test
    void timeoutIsRetried() throws Exception {
        RpcSettings shortTimeout = FAST.withTimeout(Duration.ofMillis(300));
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> {
            if (n == 0) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            FakeRpcServer.echo(calls, ex, calls.size() > 1);
        }); JsonRpcClient c = client(shortTimeout, s.url("/"))) {
            assertThat(echo(c, "late").send().getResult().asText()).isEqualTo("late");
            assertThat(registry.find(IngestMetrics.RPC_ERRORS).tag("class", "retriable").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void retriesRunOutWithAClearRetriableError() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 503, ""));
             JsonRpcClient c = client(FAST, s.url("/"))) {
            assertThatThrownBy(() -> Web3j.build(c).ethBlockNumber().send()).isInstanceOf(RpcException.class)
                .hasMessageContaining("failed after 5 attempts").satisfies(e -> assertThat(((RpcException) e).retriable()).isTrue());
            assertThat(s.requests.get()).isEqualTo(5);
        }
    }

    @Test
    @Timeout(60) // guards against waiting out the hour; not a timing assertion
    void aRetryAfterBindsOnlyItsEndpointSoAFailoverIsNotHeldUp() throws Exception {
        try (FakeRpcServer limited = new FakeRpcServer((n, calls, ex) -> {
                ex.getResponseHeaders().add("Retry-After", "3600");
                FakeRpcServer.respond(ex, 429, "slow down");
            });
             FakeRpcServer good = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.echo(calls, ex, calls.size() > 1));
             JsonRpcClient c = client(FAST, limited.url("/"), good.url("/"))) {
            assertThat(echo(c, "now").send().getResult().asText()).isEqualTo("now");
            String ep = RedactedUrl.of(limited.url("/")).label();
            assertThat(metrics.count(IngestMetrics.RPC_ERRORS, "endpoint", ep, "kind", "rate_limited")).isEqualTo(1);
            assertThat(metrics.count(IngestMetrics.RPC_FAILOVERS, "endpoint", ep, "kind", "rate_limited")).isEqualTo(1);
            assertThat(c.currentEndpoint().label()).isEqualTo(RedactedUrl.of(good.url("/")).label());
        }
    }

    @Test
    void anAnswerFoundWrongIsHeldAgainstItsEndpointAndMovesOnOnlyFromTheCurrentOne() throws Exception {
        try (FakeRpcServer a = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.echo(calls, ex, calls.size() > 1));
             FakeRpcServer b = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.echo(calls, ex, calls.size() > 1));
             JsonRpcClient c = client(FAST, a.url("/"), b.url("/"))) {
            RpcResult<Echo> r = c.batch(List.of(echo(c, "x"))).get(0);
            assertThat(r.endpoint().label()).isEqualTo(RedactedUrl.of(a.url("/")).label());
            c.reportBadAnswer(r.endpoint(), "eth_echo", RpcErrorKind.INCONSISTENT, "hash unknown by hash");
            assertThat(c.currentEndpoint().label()).isEqualTo(RedactedUrl.of(b.url("/")).label());
            // found wrong later, when we already left it: counted, but b stays current
            c.reportBadAnswer(r.endpoint(), "eth_echo", RpcErrorKind.BAD_RESPONSE, "does not decode");
            assertThat(c.currentEndpoint().label()).isEqualTo(RedactedUrl.of(b.url("/")).label());
            assertThat(metrics.count(IngestMetrics.RPC_ERRORS, "endpoint", r.endpoint().label())).isEqualTo(2);
            assertThat(metrics.count(IngestMetrics.RPC_FAILOVERS, "endpoint", r.endpoint().label())).isEqualTo(1);
        }
    }

    @Test
    void aProbeAsksEveryEndpointOnceAndToleratesTheOnesThatFail() throws Exception {
        try (FakeRpcServer down = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 503, "down"));
             FakeRpcServer up = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.echo(calls, ex, calls.size() > 1));
             JsonRpcClient c = client(FAST, down.url("/"), up.url("/"))) {
            List<Echo> heads = c.probeAll(echo(c, "0x2a")).get();
            assertThat(heads.get(0)).isNull();
            assertThat(heads.get(1).getResult().asText()).isEqualTo("0x2a");
            assertThat(down.requests.get()).isEqualTo(1);
            assertThat(up.requests.get()).isEqualTo(1);
            assertThat(metrics.count(IngestMetrics.RPC_ERRORS, "endpoint", RedactedUrl.of(down.url("/")).label(), "kind", "server_error")).isEqualTo(1);
            c.switchTo(1, RpcErrorKind.LAGGING, "is behind");
            assertThat(c.currentEndpoint().label()).isEqualTo(RedactedUrl.of(up.url("/")).label());
        }
    }

    @Test
    void backoffStaysWithinItsBounds() {
        try (JsonRpcClient c = client(RpcSettings.defaults().withRetries(10, Duration.ofMillis(100), Duration.ofSeconds(2)), "http://127.0.0.1:1")) {
            for (int attempt = 1; attempt <= 10; attempt++) {
                long b = c.backoffMillis(attempt);
                assertThat(b).isBetween(100L, Math.min(2000L, 100L << (attempt - 1)));
            }
        }
    }

    @Test
    @Timeout(60) // guards against reading the trickle to its end; not a timing assertion
    void aBodyTrickledPastTheTimeoutIsCutOffAndTheRequestRetried() throws Exception {
        RpcSettings oneSecond = FAST.withTimeout(Duration.ofSeconds(1));
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> {
            if (n > 0) {
                FakeRpcServer.echo(calls, ex, calls.size() > 1);
                return;
            }
            // a complete, valid answer, sent one byte every 100 ms: about 10 s for the whole
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + calls.get(0).get("id") + ",\"result\":\"slow\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try {
                for (byte b : body) {
                    ex.getResponseBody().write(b);
                    ex.getResponseBody().flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException | java.io.IOException e) {
                // the client hung up
            }
        }); JsonRpcClient c = client(oneSecond, s.url("/"))) {
            assertThat(echo(c, "fast").send().getResult().asText()).isEqualTo("fast");
            assertThat(s.requests.get()).isEqualTo(2);
            assertThat(metrics.count(IngestMetrics.RPC_ERRORS, "kind", "timeout")).isEqualTo(1);
        }
    }

    @Test
    void aBodyOverTheSizeCapIsRefusedAndTheBatchHalvedUntilItFits() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < calls.size(); i++) {
                // each answer about 1 KB: a batch of 8 is 8 KB, over the 3 KB cap; 2 fit
                body.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(calls.get(i).get("id"))
                    .append(",\"result\":\"").append(calls.get(i).get("params").get(0).asText()).append("\"}").append(" ".repeat(1000));
            }
            FakeRpcServer.respond(ex, 200, body.append("]").toString());
        }); JsonRpcClient c = client(FAST.withMaxBatch(8).withMaxResponseBytes(3000), s.url("/"))) {
            List<RpcResult<Echo>> rs = c.batch(calls(c, 8));
            assertThat(rs).extracting(r -> r.response().getResult().asText())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 8).mapToObj(i -> "v" + i).toList());
            assertThat(c.batchSize()).isEqualTo(2);
            assertThat(metrics.count(IngestMetrics.RPC_ERRORS, "kind", "too_large")).isEqualTo(3); // the 8, then each half of 4
        }
    }

    @Test
    void aSingleAnswerOverTheSizeCapFailsNamingTheSetting() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":"
                + calls.get(0).get("id") + ",\"result\":\"" + "x".repeat(10_000) + "\"}"));
             JsonRpcClient c = client(FAST.withMaxResponseBytes(4096), s.url("/"))) {
            assertThatThrownBy(() -> echo(c, "big").send()).isInstanceOf(RpcException.class)
                .hasMessageContaining("maxResponseBytes").satisfies(e -> assertThat(((RpcException) e).kind()).isEqualTo(RpcErrorKind.TOO_LARGE));
        }
    }

    @Test
    @Timeout(60) // guards against waiting out the Retry-After; not a timing assertion
    void aRetryAfterBeyondTheLongestBackoffIsCappedAtIt() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> {
            if (n == 0) {
                ex.getResponseHeaders().add("Retry-After", "86400");
                FakeRpcServer.respond(ex, 429, "come back tomorrow");
            } else if (n == 1) {
                ex.getResponseHeaders().add("Retry-After", "99999999999999999999");
                FakeRpcServer.respond(ex, 429, "come back never");
            } else {
                FakeRpcServer.echo(calls, ex, calls.size() > 1);
            }
        }); JsonRpcClient c = client(FAST, s.url("/"))) {
            assertThat(echo(c, "soon").send().getResult().asText()).isEqualTo("soon");
            assertThat(s.requests.get()).isEqualTo(3);
        }
    }

    @Test
    void retryAfterIsSecondsOrADateNeverMoreThanTheCapAndNeverNegative() {
        long now = 1_700_000_000_000L;
        assertThat(JsonRpcClient.retryAfterMillis("2", 30_000, now)).isEqualTo(2_000);
        assertThat(JsonRpcClient.retryAfterMillis("86400", 30_000, now)).isEqualTo(30_000);
        assertThat(JsonRpcClient.retryAfterMillis("9223372036854775807", 30_000, now)).isEqualTo(30_000);
        assertThat(JsonRpcClient.retryAfterMillis("9".repeat(40), 30_000, now)).isEqualTo(30_000);
        assertThat(JsonRpcClient.retryAfterMillis("-5", 30_000, now)).isEqualTo(-1);
        assertThat(JsonRpcClient.retryAfterMillis("soon", 30_000, now)).isEqualTo(-1);
        assertThat(JsonRpcClient.retryAfterMillis(null, 30_000, now)).isEqualTo(-1);
        assertThat(JsonRpcClient.retryAfterMillis("Tue, 14 Nov 2023 22:13:25 GMT", 30_000, now)).isEqualTo(5_000);
        assertThat(JsonRpcClient.retryAfterMillis("Fri, 31 Dec 9999 23:59:59 GMT", 30_000, now)).isEqualTo(30_000);
        assertThat(JsonRpcClient.retryAfterMillis("Tue, 14 Nov 2023 22:00:00 GMT", 30_000, now)).isZero();
    }

    /** Formatted log lines of the client while {@code body} runs. */
    static List<String> clientLog(ThrowingRunnable body) throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(JsonRpcClient.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            body.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static final String KEY = "Sup3rS3cretApiKey9";

    @Test
    void aKeyStraddlingTheCutOfAQuotedBodyNeverReachesAFailoverLogLine() throws Exception {
        try (FakeRpcServer bad = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 503,
                // an error page quoting the request path, the key where a cut after 200 characters would fall
                "<html>" + "x".repeat(160) + " upstream failed for /v3/" + KEY + " </html>"));
             FakeRpcServer good = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.echo(calls, ex, calls.size() > 1));
             JsonRpcClient c = client(FAST, bad.url("/v3/" + KEY), good.url("/"))) {
            List<String> lines = clientLog(() -> assertThat(echo(c, "ok").send().getResult().asText()).isEqualTo("ok"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("failing over"));
            assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(KEY.substring(0, 4)));
        }
    }

    @Test
    void aNodeErrorQuotingTheKeyIsScrubbedBeforeItIsLoggedOrThrown() throws Exception {
        try (FakeRpcServer s = new FakeRpcServer((n, calls, ex) -> FakeRpcServer.respond(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":"
                + calls.get(0).get("id") + ",\"error\":{\"code\":-32005,\"message\":\"rate limit exceeded for key " + KEY + " on /v3/" + KEY
                + "\"}}"));
             JsonRpcClient c = client(FAST, s.url("/v3/" + KEY))) {
            List<String> lines = clientLog(() -> assertThatThrownBy(() -> echo(c, "x").send()).isInstanceOf(RpcException.class)
                .hasMessageContaining("-32005").hasMessageNotContaining(KEY.substring(0, 4)));
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain(KEY.substring(0, 4)));
        }
    }
}
