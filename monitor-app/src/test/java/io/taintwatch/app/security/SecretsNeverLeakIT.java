package io.taintwatch.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import io.taintwatch.app.run.Pipeline;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.embedded.LoopbackPorts;
import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole pipeline (ingest, taint, alerts; the {@code taintwatch run} composition root) with every kind of
 * secret set the way deployments set them, in TAINTWATCH_* environment variables: an RPC URL with an API key in its
 * path and its query and user:password in it, webhook URLs with a token and a signing secret, API bearer tokens.
 * Every log line (at DEBUG for taintwatch), every exception text and stack trace, everything printed to stdout and
 * stderr, every metric of /metrics and the API's answers are captured; none may contain any secret. Then the same
 * with endpoints that fail (refused connection, 401 for a wrong key): the error messages must not leak either.
 */
class SecretsNeverLeakIT {
    private static final SecureRandom RND = new SecureRandom();
    private static final String KEY_PATH = secret("pathkey");
    private static final String KEY_QUERY = secret("querykey");
    private static final String RPC_USER = secret("rpcuser");
    private static final String RPC_PASS = secret("rpcpass");
    private static final String WRONG_KEY = secret("wrongkey");
    private static final String API_TOKEN = secret("apitoken");
    private static final String HOOK_SECRET = secret("whsec");
    private static final String HOOK_TOKEN = secret("hooktoken");
    private static final List<String> SECRETS = List.of(KEY_PATH, KEY_QUERY, RPC_USER, RPC_PASS, WRONG_KEY, API_TOKEN, HOOK_SECRET,
        HOOK_TOKEN);

    private static EmbeddedKafka kafka;
    private static Anvil anvil;

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Capture capture = new Capture();
    private HttpServer gateway;
    private HttpServer hooks;
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> basicAuthSeen = new CopyOnWriteArrayList<>();
    private final List<byte[]> deliveries = new CopyOnWriteArrayList<>();

    private static String secret(String what) {
        byte[] b = new byte[12];
        RND.nextBytes(b);
        return what + "-" + HexFormat.of().formatHex(b);
    }

    @BeforeAll
    static void startPeers() {
        kafka = EmbeddedKafka.start();
        anvil = Anvil.builder().blockTime(Duration.ofMillis(500)).start();
    }

    @AfterAll
    static void stopPeers() {
        if (anvil != null) {
            anvil.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        capture.start();
        // an RPC provider in front of anvil: the API key must be in the path and the query, or the answer is 401
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", this::gateway);
        gateway.start();
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", ex -> {
            deliveries.add(ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hooks.start();
    }

    @AfterEach
    void stop() {
        capture.stop();
        if (gateway != null) {
            gateway.stop(0);
        }
        if (hooks != null) {
            hooks.stop(0);
        }
    }

    private void gateway(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            basicAuthSeen.add(auth);
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        boolean ok = ex.getRequestURI().getPath().equals("/v2/" + KEY_PATH)
            && ("apikey=" + KEY_QUERY).equals(ex.getRequestURI().getRawQuery());
        byte[] answer;
        int status;
        if (ok) {
            forwarded.incrementAndGet();
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
                status = r.statusCode();
                answer = r.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 502;
                answer = new byte[0];
            }
        } else {
            refused.incrementAndGet();
            status = 401;
            // providers echo what they refused; the client must not copy that into its logs unscrubbed
            answer = ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"invalid API key "
                + ex.getRequestURI() + "\"}}").getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }

    private String rpcUrl(String key) {
        return "http://" + RPC_USER + ":" + RPC_PASS + "@127.0.0.1:" + gateway.getAddress().getPort() + "/v2/" + key + "?apikey=" + KEY_QUERY;
    }

    private PipelineConfig settings(String app, String rpcUrls, int httpPort, int metricsPort) throws IOException {
        Path file = tmp.resolve(app + ".yaml");
        Files.writeString(file, """
            chains: devnet
            chain:
              devnet:
                id: %d
                confirmations: 0
                trace: trace-block
                poll-ms: 200
            state:
              dir: %s
            http:
              port: %d
              bind: 127.0.0.1
            metrics:
              port: %d
            """.formatted(anvil.chainId(), tmp.resolve(app + "-state"), httpPort, metricsPort));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TAINTWATCH_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("TAINTWATCH_CHAIN_DEVNET_RPC_URLS", rpcUrls);
        env.put("TAINTWATCH_ALERTS_API_TOKENS", API_TOKEN + ",other-" + API_TOKEN);
        env.put("TAINTWATCH_ALERTS_WEBHOOKS", "soc");
        env.put("TAINTWATCH_ALERTS_WEBHOOK_SOC_URL", "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook?token=" + HOOK_TOKEN);
        env.put("TAINTWATCH_ALERTS_WEBHOOK_SOC_SECRET", HOOK_SECRET);
        return new PipelineConfig(TaintwatchConfig.load(file, env, Map.of()));
    }

    @Test
    void theCaptureSeesDebugLinesAndPrintsAndTheCheckFindsASecret() {
        // the checks below can fail: a leak at DEBUG, in a throwable or on stdout would be seen
        LoggerFactory.getLogger("io.taintwatch.canary").debug("canary {}", "in-an-argument", new IllegalStateException("canary-cause"));
        System.out.println("canary-on-stdout");
        String text = capture.text();
        assertThat(text).contains("canary in-an-argument").contains("canary-cause").contains("canary-on-stdout");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertNoSecret("a leak", "url http://x/v2/" + KEY_PATH))
            .isInstanceOf(AssertionError.class).hasMessageContaining("a leak contain the secret pathkey");
    }

    @Test
    void aRunningPipelineNeverLogsOrExportsItsSecrets() throws Exception {
        int[] ports = LoopbackPorts.free(2);
        int httpPort = ports[0];
        int metricsPort = ports[1];
        PipelineConfig s = settings("ok", rpcUrl(KEY_PATH), httpPort, metricsPort);
        List<String> scraped = new ArrayList<>();
        try (Pipeline rt = Pipeline.start(s, EnumSet.allOf(Pipeline.Part.class))) {
            // a theft: account 0 is a seed, account 2 an exchange deposit; 0 -> 1 -> 2 must raise an alert and a webhook
            Address thief = Address.parse(anvil.accounts().get(0).address());
            Address mule = Address.parse(anvil.accounts().get(1).address());
            Address deposit = Address.parse(anvil.accounts().get(2).address());
            publish(thief, mule, deposit);
            await().atMost(Duration.ofSeconds(60)).until(() -> forwarded.get() > 5);
            // the seed and the label take effect from the next block the engine processes: let it get past them first
            // (anvil's block timestamps have second precision, so a block mined in the same second could sort first)
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> gauge(rt, "taintwatch.taint.seeds") >= 1);
            long after = anvil.blockNumber() + 3;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> gauge(rt, "taintwatch.taint.last.block") >= after);
            send(thief, mule, "0xde0b6b3a7640000");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> anvil.blockNumber() > 3);
            send(mule, deposit, "0x6f05b59d3b20000");
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> !deliveries.isEmpty());

            scraped.add(get("http://127.0.0.1:" + metricsPort + "/metrics", null).body());
            scraped.add(get("http://127.0.0.1:" + metricsPort + "/health", null).body());
            scraped.add(get("http://127.0.0.1:" + metricsPort + "/ready", null).body());
            // the first webhook may be the thief's watchlist movement: the exchange deposit's alert can follow it
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                get("http://127.0.0.1:" + httpPort + "/alerts", "Bearer " + API_TOKEN).body().contains("tainted-to-exchange"));
            HttpResponse<String> alerts = get("http://127.0.0.1:" + httpPort + "/alerts", "Bearer " + API_TOKEN);
            assertThat(alerts.statusCode()).isEqualTo(200);
            assertThat(alerts.body()).contains("tainted-to-exchange");
            scraped.add(alerts.body());
            scraped.add(get("http://127.0.0.1:" + httpPort + "/alerts", "Bearer wrong-" + API_TOKEN).body());
            scraped.add(get("http://127.0.0.1:" + httpPort + "/metrics", null).body());
            scraped.add(((io.micrometer.prometheusmetrics.PrometheusMeterRegistry) rt.registry()).scrape());
        }
        assertThat(scraped.get(0)).as("metrics were scraped").contains("taintwatch_");
        deliveries.forEach(d -> scraped.add(new String(d, StandardCharsets.UTF_8)));
        assertNoSecret("metrics, health, API answers and webhook bodies", String.join("\n", scraped));
        assertNoSecret("log lines, exceptions, stdout and stderr", capture.text());
        assertThat(capture.events()).as("log events captured").isGreaterThan(50);
        System.out.println("gateway: " + forwarded.get() + " requests forwarded, " + refused.get() + " refused; Authorization headers seen: "
            + basicAuthSeen.size());
    }

    @Test
    void failingEndpointsWithKeysNeverPutThemInErrors() throws Exception {
        // first a closed port, then the provider with a wrong key (401): both URLs carry credentials
        int[] ports = LoopbackPorts.free(3);
        String closed = "http://" + RPC_USER + ":" + RPC_PASS + "@127.0.0.1:" + ports[0] + "/v2/" + WRONG_KEY + "?apikey=" + KEY_QUERY;
        PipelineConfig s = settings("bad", closed + "," + rpcUrl(WRONG_KEY), ports[1], ports[2]);
        Exception failure = null;
        try (Pipeline rt = Pipeline.start(s, EnumSet.of(Pipeline.Part.INGEST))) {
            // a permanent error (bad credentials) stops ingest instead of retrying forever
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> !rt.alive());
            assertNoSecret("metrics", ((io.micrometer.prometheusmetrics.PrometheusMeterRegistry) rt.registry()).scrape());
        } catch (Exception e) {
            failure = e;
        }
        assertThat(refused.get()).as("the wrong key reached the provider and was refused").isPositive();
        String text = capture.text() + (failure == null ? "" : ThrowableProxyUtil.asString(new ch.qos.logback.classic.spi.ThrowableProxy(failure)));
        assertThat(text).as("the failure is reported").containsIgnoringCase("401");
        assertNoSecret("errors of failing endpoints", text);
    }

    private static double gauge(Pipeline rt, String name) {
        var g = rt.registry().find(name).gauge();
        return g == null ? -1 : g.value();
    }

    private void publish(Address thief, Address mule, Address deposit) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, Seed> seeds = new KafkaProducer<>(p, new StringSerializer(), TaintSerdes.seeds().serializer());
             KafkaProducer<String, Entity> labels = new KafkaProducer<>(p, new StringSerializer(), TaintSerdes.entities().serializer())) {
            seeds.send(new ProducerRecord<>("watchlist", thief.toString(), new Seed(thief, "case:secrets-it", Category.THEFT, 0, "test")));
            labels.send(new ProducerRecord<>("labels", deposit.toString(),
                new Entity(deposit, "Exchange deposit", Category.EXCHANGE_DEPOSIT, "test", 100)));
        }
    }

    private void send(Address from, Address to, String weiHex) {
        anvil.rpc("eth_sendTransaction", Map.of("from", from.toString(), "to", to.toString(), "value", weiHex));
    }

    private HttpResponse<String> get(String url, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            int at = text.indexOf(secret);
            assertThat(at).as("%s contain the secret %s, e.g. in: %s", where, secret.substring(0, secret.indexOf('-')),
                at < 0 ? "" : text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100))).isNegative();
        }
    }

    /** Every log event (message, arguments, MDC, throwable with causes and stack) and everything printed. */
    private static final class Capture extends AppenderBase<ILoggingEvent> {
        private final StringBuilder text = new StringBuilder();
        private int events;
        private PrintStream out;
        private PrintStream err;
        private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        private Level taintwatchLevel;


        @Override
        public void start() {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            setContext(ctx);
            super.start();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
            taintwatchLevel = ctx.getLogger("io.taintwatch").getLevel();
            ctx.getLogger("io.taintwatch").setLevel(Level.DEBUG);
            out = System.out;
            err = System.err;
            System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
        }

        @Override
        public void stop() {
            LoggerContext ctx = (LoggerContext) getContext();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
            ctx.getLogger("io.taintwatch").setLevel(taintwatchLevel);
            System.setOut(out);
            System.setErr(err);
            super.stop();
        }

        @Override
        protected synchronized void append(ILoggingEvent e) {
            events++;
            text.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ').append(e.getThreadName()).append(": ")
                .append(e.getFormattedMessage()).append(' ').append(e.getMDCPropertyMap());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    text.append(" | ").append(a);
                }
            }
            if (e.getThrowableProxy() != null) {
                text.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
            text.append('\n');
        }

        synchronized int events() {
            return events;
        }

        synchronized String text() {
            synchronized (printed) {
                return text + "\n" + printed.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** Writes to the real stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream real;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream real, ByteArrayOutputStream copy) {
            this.real = real;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            real.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            real.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            real.flush();
        }
    }
}
