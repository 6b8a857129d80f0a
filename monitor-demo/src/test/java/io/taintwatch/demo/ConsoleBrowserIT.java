package io.taintwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.embedded.devnet.LaunderingStory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The analyst console in a real browser (Debian's chromium through chromium-driver): the demo story runs on the embedded
 * broker and anvil; an analyst signs in, finds the story's alerts in the queue, moves through it with the keyboard,
 * opens an alert with a laundering path, finds every hop drawn left to right, closes it as a false positive; the alerts
 * part restarts, and the disposition and the audit entry are still there. Screenshots go to target/console-screenshots.
 */
class ConsoleBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void analystTriagesTheStoryInTheConsoleAndTheDecisionSurvivesARestart() throws Exception {
        Path chromium = binary("CHROMIUM_BIN", "/usr/bin/chromium");
        Path driverBin = binary("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        int apiPort;
        try (ServerSocket s = new ServerSocket(0)) {
            apiPort = s.getLocalPort();
        }
        Path shots = Path.of("target", "console-screenshots");
        Files.createDirectories(shots);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<String> checked = new ArrayList<>();
        DemoRunner.Options options = new DemoRunner.Options(LaunderingStory.Config.defaults(), apiPort, 0, quiet, Duration.ZERO)
            .withWhileUp((live, result) -> {
                assertThat(result.passed()).as("the demo caught every laundering step").isTrue();
                WebDriver driver = chrome(chromium, driverBin);
                try {
                    triage(driver, live, result, shots);
                    checked.add("done");
                } finally {
                    driver.quit();
                }
            });
        new DemoRunner(options).run();
        assertThat(checked).as("the browser steps ran while the demo was up").containsExactly("done");
    }

    private void triage(WebDriver driver, DemoRunner.Live live, DemoRunner.Result result, Path shots) throws Exception {
        String base = live.consoleUrl().replace("/console/", "");
        JsonNode all = api(base, "/alerts?limit=1000&status=open,acknowledged,escalated");
        Set<String> expected = new HashSet<>();
        all.path("alerts").forEach(a -> expected.add(a.path("id").asText()));
        assertThat(expected).as("open alerts of the story").hasSize(result.alerts());

        driver.get(live.consoleUrl());
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.until(d -> d.findElement(By.id("token")).isDisplayed());
        driver.findElement(By.id("token")).sendKeys(DemoRunner.DEMO_ANALYST_TOKEN, Keys.ENTER);
        wait.until(d -> d.findElement(By.id("who")).getText().equals(DemoRunner.DEMO_ANALYST + " (analyst)"));
        wait.until(d -> !rows(d).isEmpty());

        // the queue, page by page, shows exactly the story's open alerts
        Set<String> shown = new HashSet<>();
        while (true) {
            rows(driver).forEach(r -> shown.add(r.getDomAttribute("data-id")));
            WebElement next = driver.findElement(By.id("next"));
            if (!next.isEnabled()) {
                break;
            }
            String first = rows(driver).get(0).getDomAttribute("data-id");
            next.click();
            wait.until(d -> !rows(d).isEmpty() && !rows(d).get(0).getDomAttribute("data-id").equals(first));
        }
        assertThat(shown).as("alerts in the queue").isEqualTo(expected);
        while (driver.findElement(By.id("prev")).isEnabled()) {
            driver.findElement(By.id("prev")).click();
            wait.until(d -> !rows(d).isEmpty());
        }
        wait.until(d -> d.findElement(By.id("live")).getText().equals("live"));
        shoot(driver, shots.resolve("queue.png"));

        // the alert with the longest path on this page, reached with the keyboard
        List<WebElement> page = rows(driver);
        JsonNode target = null;
        int index = -1;
        for (int i = 0; i < page.size(); i++) {
            JsonNode a = api(base, "/alerts/" + enc(page.get(i).getDomAttribute("data-id")));
            int hops = a.path("path").path("hops").size();
            if (target == null || hops > target.path("path").path("hops").size()) {
                target = a;
                index = i;
            }
        }
        assertThat(target.path("path").path("hops").size()).as("an alert on the first page has a multi-hop path").isGreaterThan(1);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("arguments[0].focus();", rows(driver).get(page.size() - 1));
        driver.switchTo().activeElement().sendKeys(Keys.HOME);
        for (int i = 0; i < index; i++) {
            driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        }
        String targetId = target.path("id").asText();
        assertThat(driver.switchTo().activeElement().getDomAttribute("data-id")).as("arrow keys move the focus through the queue").isEqualTo(targetId);
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().endsWith("#/alert/" + enc(targetId)));

        // the graph has every hop, in order left to right, and every address of the path
        wait.until(d -> js.executeScript("var g = document.getElementById('graph').twGraph; return g ? g.hops.length : 0;") instanceof Long n && n > 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> drawn = (List<Map<String, Object>>) js.executeScript(
            "var cy = document.getElementById('graph').twGraph.cy; return cy.nodes('[kind = \"tx\"]').sort(function (a, b) { return a.data('hop') - "
                + "b.data('hop'); }).map(function (n) { return {tx: n.data('tx'), x: n.position('x'), "
                + "from: cy.edges('[target = \"' + n.id() + '\"]').source().id(), to: cy.edges('[source = \"' + n.id() + '\"]').target().id()}; });");
        JsonNode hops = target.path("path").path("hops");
        assertThat(drawn).as("one transaction node per hop").hasSize(hops.size());
        double lastX = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < hops.size(); i++) {
            assertThat(drawn.get(i).get("tx")).as("hop %d's transaction", i + 1).isEqualTo(hops.get(i).path("txHash").asText());
            assertThat(drawn.get(i).get("from")).as("hop %d's sender", i + 1).isEqualTo(hops.get(i).path("from").asText());
            assertThat(drawn.get(i).get("to")).as("hop %d's recipient", i + 1).isEqualTo(hops.get(i).path("to").asText());
            double x = ((Number) drawn.get(i).get("x")).doubleValue();
            assertThat(x).as("hop %d lies right of hop %d", i + 1, i).isGreaterThan(lastX);
            lastX = x;
        }
        assertThat(driver.findElement(By.cssSelector("#alert-hops tbody")).findElements(By.tagName("tr"))).hasSize(hops.size());
        shoot(driver, shots.resolve("alert.png"));
        js.executeScript("document.getElementById('graph').scrollIntoView({block: 'start'});");
        shoot(driver, shots.resolve("alert-graph.png"));

        // close it as a false positive
        new Select(driver.findElement(By.id("disposition"))).selectByValue("false-positive");
        driver.findElement(By.id("close-reason")).sendKeys("Bystander payment: the sender's balance was mostly clean (browser test)");
        driver.findElement(By.id("act-close")).click();
        wait.until(d -> auditText(d).contains(DemoRunner.DEMO_ANALYST + " close as false-positive"));
        assertThat(api(base, "/alerts/" + enc(targetId)).path("status").asText()).isEqualTo("closed");

        // the alerts part restarts; the decision and its audit entry are read back from the alert-cases topic
        live.restartAlerts();
        driver.navigate().refresh();
        wait.until(d -> d.findElement(By.id("who")).getText().startsWith(DemoRunner.DEMO_ANALYST));
        wait.until(d -> auditText(d).contains(DemoRunner.DEMO_ANALYST + " close as false-positive"));
        assertThat(driver.findElement(By.id("case-facts")).getText()).contains("closed", "false-positive", "Bystander payment");
        JsonNode c = api(base, "/alerts/" + enc(targetId) + "/case");
        assertThat(c.path("status").asText()).isEqualTo("closed");
        assertThat(c.path("disposition").asText()).isEqualTo("false-positive");
        JsonNode last = c.path("events").get(c.path("events").size() - 1);
        assertThat(last.path("actor").asText()).isEqualTo(DemoRunner.DEMO_ANALYST);
        assertThat(last.path("role").asText()).isEqualTo("analyst");
        assertThat(last.path("action").asText()).isEqualTo("close");

        // the same graph component keeps labels apart on a larger graph: 60 addresses, 80 transactions
        Object overlaps = js.executeScript(LARGE_GRAPH_OVERLAPS);
        assertThat(overlaps).as("pairs of overlapping node boxes (labels included) on a 60-address graph").isEqualTo(0L);

        List<String> problems = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            // the live stream breaks while the alerts part restarts, and reconnects: that is expected
            boolean restart = e.getMessage().contains("/alerts/stream - Failed to load resource");
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("favicon") && !restart) {
                problems.add(e.getMessage());
            }
        }
        assertThat(problems).as("browser errors (CSP violations, script errors)").isEmpty();
    }

    /** Renders a synthetic layered graph off-screen with TwGraph and counts overlapping bounding boxes (labels included). */
    private static final String LARGE_GRAPH_OVERLAPS = """
        var div = document.createElement('div');
        div.style.width = '1200px'; div.style.height = '700px';
        document.body.appendChild(div);
        var nodes = [], edges = [];
        function addr(i) { return '0x' + ('0000000000000000000000000000000000000000' + i.toString(16)).slice(-40); }
        for (var i = 0; i < 60; i++) { nodes.push({id: addr(i), role: i < 3 ? 'source' : i >= 54 ? 'terminal' : 'hop',
          label: (i % 4 === 0 ? 'Entity number ' + i + ' (exchange)\\n' : '') + TwGraph.shortAddress(addr(i))}); }
        for (var e = 0; e < 80; e++) { var a = e % 54, b = Math.min(59, a + 1 + (e * 7) % 6);
          edges.push({id: 'e' + e, from: addr(a), to: addr(b), label: '#' + e + ' 12.345678 ETH of 20 ETH\\n61.72% tainted', hop: e}); }
        var g = TwGraph.render(div, {nodes: nodes, edges: edges});
        var boxes = g.cy.nodes().map(function (n) { return n.boundingBox({includeLabels: true}); });
        var overlaps = 0;
        for (var p = 0; p < boxes.length; p++) { for (var q = p + 1; q < boxes.length; q++) {
          var A = boxes[p], B = boxes[q];
          if (A.x1 < B.x2 && B.x1 < A.x2 && A.y1 < B.y2 && B.y1 < A.y2) { overlaps++; } } }
        g.cy.destroy(); div.remove();
        return overlaps;
        """;

    private static List<WebElement> rows(WebDriver d) {
        return d.findElements(By.cssSelector("#queue-table tbody tr"));
    }

    private static String auditText(WebDriver d) {
        return d.findElement(By.id("audit")).getText();
    }

    private JsonNode api(String base, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + DemoRunner.DEMO_ANALYST_TOKEN)
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void shoot(WebDriver driver, Path to) throws IOException {
        Files.write(to, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private WebDriver chrome(Path chromium, Path driverBin) throws IOException {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1280,800",
            "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBin.toFile()).usingAnyFreePort()
            .withLogFile(tmp.resolve("chromedriver.log").toFile()).build();
        WebDriver d = new ChromeDriver(service, o);
        d.manage().window().setSize(new Dimension(1280, 800));
        return d;
    }

    private static Path binary(String env, String dflt) {
        Path p = Path.of(System.getenv().getOrDefault(env, dflt));
        if (!Files.isExecutable(p)) {
            fail(p + " not found: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does) "
                + "or set " + env);
        }
        return p;
    }

}
