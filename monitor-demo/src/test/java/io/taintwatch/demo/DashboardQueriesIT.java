package io.taintwatch.demo;

import io.taintwatch.app.deploy.DeployFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.demo.DemoRunner;
import io.taintwatch.embedded.devnet.LaunderingStory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo (embedded broker + anvil + ingest/taint/alerts) with its /metrics scraped every second by a real
 * Prometheus using deploy/prometheus/prometheus.yml (targets rewritten to the demo) and the rules in
 * deploy/prometheus/alerts.yml, then evaluates every PromQL expression of every Grafana panel over the demo's time
 * range (as Grafana would, with query_range) and every alerting rule: each must parse, every panel must return data,
 * and Prometheus must evaluate every rule without error. Also runs {@code promtool check rules} and
 * {@code promtool check config}. Needs the prometheus and promtool binaries (Debian package prometheus;
 * .ci/run installs it) or PROMETHEUS_BIN / PROMTOOL_BIN.
 */
class DashboardQueriesIT {
    /** Grafana's $__rate_interval for a 1 s scrape interval (at least four scrapes). */
    private static final String RATE_INTERVAL = "15s";
    private static final String DEMO_TOKEN = "demo-token-please-change";
    private static final long BLOCK_PAUSE_MS = 1500;
    /** Panels whose data needs a feature the demo does not configure; they must still parse. */
    private static final Map<String, String> NOT_EXERCISED_BY_DEMO = Map.of();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process prometheus;
    private String promUrl;

    @TempDir
    Path tmp;

    @AfterEach
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Path binary(String env, String name) {
        String v = System.getenv(env);
        Path p = v != null && !v.isBlank() ? Path.of(v) : Path.of("/usr/bin", name);
        if (!Files.isExecutable(p)) {
            fail(name + " not found at " + p + ": install Prometheus (apt-get install prometheus; .ci/run does) or set " + env);
        }
        return p;
    }

    private static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", cmd, out).isZero();
        return out;
    }

    /** deploy/prometheus/prometheus.yml with the taintwatch job pointed at the demo and 1 s intervals. */
    private Path scrapeConfig(int metricsPort, int promPort) throws IOException {
        ObjectNode cfg = (ObjectNode) DeployFiles.yaml(DeployFiles.deploy().resolve("prometheus/prometheus.yml"));
        ObjectNode global = (ObjectNode) cfg.path("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        cfg.putArray("rule_files").add(DeployFiles.deploy().resolve("prometheus/alerts.yml").toString());
        boolean found = false;
        for (JsonNode job : cfg.path("scrape_configs")) {
            String target = job.path("job_name").asText().equals("taintwatch") ? "127.0.0.1:" + metricsPort : "127.0.0.1:" + promPort;
            found |= job.path("job_name").asText().equals("taintwatch");
            ObjectNode sc = DeployFiles.JSON.createObjectNode();
            sc.putArray("targets").add(target);
            if (job.path("job_name").asText().equals("taintwatch")) {
                sc.putObject("labels").put("part", "demo");
            }
            ((ObjectNode) job).putArray("static_configs").add(sc);
        }
        assertThat(found).as("prometheus.yml has the taintwatch job").isTrue();
        Path out = tmp.resolve("prometheus.yml");
        DeployFiles.YAML.writeValue(out.toFile(), cfg);
        return out;
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        return DeployFiles.JSON.readTree(r.body());
    }

    private JsonNode promQuery(String path, String expr, String params) throws IOException, InterruptedException {
        return get(promUrl + path + "?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + params);
    }

    /** Whether a query_range result has at least one non-NaN value; a parse error fails the test with the expression. */
    private int seriesWithData(String where, String expr, long start, long end) throws IOException, InterruptedException {
        JsonNode r = promQuery("/api/v1/query_range", expr, "&start=" + start + "&end=" + end + "&step=1");
        assertThat(r.path("status").asText()).as("%s: %s -> %s", where, expr, r.path("error").asText()).isEqualTo("success");
        int n = 0;
        for (JsonNode s : r.path("data").path("result")) {
            for (JsonNode v : s.path("values")) {
                String x = v.get(1).asText();
                if (!x.equals("NaN")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    @Test
    void everyDashboardPanelReturnsDataAndEveryRuleEvaluates() throws Exception {
        Path promBin = binary("PROMETHEUS_BIN", "prometheus");
        Path promtool = binary("PROMTOOL_BIN", "promtool");
        Path rules = DeployFiles.deploy().resolve("prometheus/alerts.yml");
        run(tmp, List.of(promtool.toString(), "check", "rules", rules.toString()));

        int[] ports = io.taintwatch.embedded.LoopbackPorts.free(3);
        int metricsPort = ports[0];
        int apiPort = ports[1];
        int promPort = ports[2];
        Path cfg = scrapeConfig(metricsPort, promPort);
        run(tmp, List.of(promtool.toString(), "check", "config", cfg.toString()));

        promUrl = "http://127.0.0.1:" + promPort;
        prometheus = new ProcessBuilder(promBin.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + promPort, "--log.level=warn")
            .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        long readyBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(promUrl + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(prometheus.isAlive()).as("prometheus running; log:%n%s", Files.readString(tmp.resolve("prometheus.log"))).isTrue();
            assertThat(System.nanoTime()).as("prometheus ready within 60 s").isLessThan(readyBy);
            Thread.sleep(200);
        }

        // the demo, with its output kept and the moment its summary starts noted (meters are removed at close)
        AtomicLong live = new AtomicLong();
        AtomicLong summary = new AtomicLong();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(int b) {
                log.write(b);
                System.out.write(b);
                if (b == '\n') {
                    String l = line.toString();
                    if (l.contains("pipeline live")) {
                        live.compareAndSet(0, System.currentTimeMillis() / 1000);
                    }
                    if (l.contains("=== taintwatch demo summary ===")) {
                        summary.compareAndSet(0, System.currentTimeMillis() / 1000);
                    }
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true, StandardCharsets.UTF_8);
        // a slower story than the CLI default (150 ms) keeps the pipeline live for about 40 s: enough 1 s scrapes
        // for rate() windows, and for the Kafka Streams binder's 10 s refresh to pick up the state store meters
        DemoRunner.Options options = new DemoRunner.Options(LaunderingStory.Config.defaults(), apiPort, metricsPort, out,
            Duration.ofMillis(BLOCK_PAUSE_MS));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean decided = new AtomicBoolean();
        try {
            Future<DemoRunner.Result> demo = pool.submit(() -> new DemoRunner(options).run());
            // an operator reading the alert API, so the API panel has traffic, and an analyst closing the first alert, so the
            // case panels (dispositions, time to first action) have data
            pool.submit(() -> {
                while (!done.get()) {
                    try {
                        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/alerts"))
                            .header("Authorization", "Bearer " + DEMO_TOKEN).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                        JsonNode alerts = DeployFiles.JSON.readTree(list.body()).path("alerts");
                        // the analyst acts once Prometheus has scraped the alert's time-to-first-action series at zero,
                        // so the panel's rate() counts the action
                        if (!decided.get() && list.statusCode() == 200 && !alerts.isEmpty() && promQuery("/api/v1/query",
                            "taintwatch_cases_time_to_first_action_seconds_count{rule=\"" + alerts.get(0).path("rule").asText()
                                + "\",severity=\"" + alerts.get(0).path("severity").asText() + "\"}", "")
                            .path("data").path("result").size() > 0) {
                            String id = alerts.get(0).path("id").asText();
                            HttpResponse<String> closed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/alerts/"
                                    + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/actions"))
                                .header("Authorization", "Bearer " + DemoRunner.DEMO_ANALYST_TOKEN).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"close\",\"disposition\":\"false-positive\","
                                    + "\"comment\":\"dashboard test: a decision for the case panels\"}"))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                            decided.set(closed.statusCode() == 200);
                        }
                    } catch (IOException notUpYet) {
                        // the API starts with the pipeline
                    }
                    Thread.sleep(2_000);
                }
                return null;
            });
            demo.get(10, TimeUnit.MINUTES);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(live.get()).as("the demo's pipeline went live").isPositive();
        assertThat(summary.get()).as("the demo reached its summary").isPositive();
        assertThat(decided).as("an analyst closed an alert through the API while the demo ran").isTrue();
        long start = live.get();
        long end = summary.get();
        String range = (end - start) + "s";

        // every panel: parses, and (unless the demo cannot exercise it) returns data over the demo's run
        List<String> problems = new ArrayList<>();
        List<DeployFiles.Panel> panels = DeployFiles.panels();
        assertThat(panels).hasSizeGreaterThan(30);
        for (DeployFiles.Panel p : panels) {
            String exempt = NOT_EXERCISED_BY_DEMO.get(p.where());
            int withData = 0;
            for (String e : p.exprs()) {
                int series = seriesWithData(p.where(), DeployFiles.substitute(e, RATE_INTERVAL, range), start, end);
                boolean constant = e.startsWith("vector(");
                System.out.printf("panel %-70s %3d series  %s%s%n", p.where(), series, e, exempt == null ? "" : "  (not exercised: " + exempt + ")");
                if (exempt == null && series == 0 && !constant) {
                    problems.add("no data: " + p.where() + ": " + e);
                }
                withData += constant ? 0 : series;
            }
            if (exempt != null && withData > 0) {
                problems.add("now has data, remove it from NOT_EXERCISED_BY_DEMO: " + p.where());
            }
        }
        // template variables: label_values(metric, label) -> the metric has that label
        for (DeployFiles.Query v : DeployFiles.variableQueries()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(v.expr());
            assertThat(m.matches()).as("%s: %s", v.where(), v.expr()).isTrue();
            JsonNode r = promQuery("/api/v1/query_range", m.group(1), "&start=" + start + "&end=" + end + "&step=1");
            boolean has = false;
            for (JsonNode s : r.path("data").path("result")) {
                has |= s.path("metric").has(m.group(2));
            }
            if (!has) {
                problems.add("no values: " + v.where() + " " + v.expr());
            }
        }
        // every rule expression parses and evaluates at the end of the run ...
        for (DeployFiles.Query q : DeployFiles.ruleExprs()) {
            JsonNode r = promQuery("/api/v1/query", q.expr(), "&time=" + end);
            if (!r.path("status").asText().equals("success")) {
                problems.add(q.where() + ": " + r.path("error").asText());
            }
        }
        // ... and Prometheus itself loaded all of them and evaluates them without error
        JsonNode loaded = get(promUrl + "/api/v1/rules");
        Set<String> healthy = new java.util.TreeSet<>();
        for (JsonNode g : loaded.path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (r.path("health").asText().equals("ok")) {
                    healthy.add(r.path("name").asText());
                } else {
                    problems.add("rule " + r.path("name").asText() + " health " + r.path("health").asText() + ": " + r.path("lastError").asText());
                }
            }
        }
        assertThat(healthy).hasSize(DeployFiles.ruleExprs().size());
        assertThat(problems).as("dashboard/rule problems (demo output:%n%s)", log.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
