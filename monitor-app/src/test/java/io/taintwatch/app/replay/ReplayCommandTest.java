package io.taintwatch.app.replay;

import io.taintwatch.alerts.AlertSchema;

import static io.taintwatch.app.replay.EtlFixture.A1;
import static io.taintwatch.app.replay.EtlFixture.S;
import static io.taintwatch.app.replay.EtlFixture.X;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path replay(String outName, String... extra) throws IOException {
        Path etl = EtlFixture.export(tmp);
        Path out = tmp.resolve(outName);
        List<String> args = new ArrayList<>(List.of("replay", "--etl", etl.toString(), "--seeds", EtlFixture.seeds(tmp).toString(),
            "--labels", EtlFixture.labels(tmp).toString(), "--out", out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as("exit; stderr: %s", r.err()).isZero();
        return out;
    }

    private static List<JsonNode> lines(Path f) throws IOException {
        List<JsonNode> l = new ArrayList<>();
        for (String s : Files.readAllLines(f)) {
            l.add(M.readTree(s));
        }
        return l;
    }

    @Test
    void theftFanOutAndExchangeDeposit() throws IOException {
        Path out = replay("out");
        for (String f : ReplayOutputs.FILES) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        List<JsonNode> flows = lines(out.resolve("flows.jsonl"));
        // the fan-out (3 hop-1 flows) and the deposit (hop 2, terminal); the noise from C moves no taint
        assertThat(flows).extracting(f -> f.get("from").asText() + ">" + f.get("to").asText() + ":" + f.get("kind").asText()
                + ":" + f.get("hop").get("hack-1").asInt() + ":" + f.get("tainted").get("hack-1").asText())
            .containsExactly(S + ">" + A1 + ":tracked:1:1000000", S + ">" + EtlFixture.A2 + ":tracked:1:1000000",
                S + ">" + EtlFixture.A3 + ":tracked:1:1000000", A1 + ">" + X + ":terminal:2:1000000");
        assertThat(flows).allSatisfy(f -> {
            assertThat(f.get("amount").isTextual()).isTrue();
            assertThat(f.get("tx_hash").asText()).startsWith("0x");
            assertThat(f.get("block").asLong()).isBetween(100L, 102L);
            assertThat(f.get("asset").asText()).isEqualTo(EtlFixture.T);
        });

        List<String> alertLines = Files.readAllLines(out.resolve("alerts.jsonl"));
        for (String a : alertLines) {
            assertThat(AlertSchema.errors(a)).as("schema errors of %s", a).isEmpty();
        }
        List<JsonNode> alerts = lines(out.resolve("alerts.jsonl"));
        assertThat(alerts).extracting(a -> a.get("rule").asText()).containsExactly("tainted-to-exchange", "watchlist-movement");
        JsonNode deposit = alerts.get(0);
        assertThat(deposit.get("to").asText()).isEqualTo(X);
        assertThat(deposit.get("tainted").get("raw").asText()).isEqualTo("1000000");
        assertThat(deposit.get("path").get("hops")).extracting(h -> h.get("from").asText() + ">" + h.get("to").asText())
            .containsExactly(S + ">" + A1, A1 + ">" + X);
        // the final version of the movement alert: the three legs of the fan-out counted in one alert
        assertThat(alerts.get(1).get("count").asInt()).isEqualTo(3);
        assertThat(alerts.get(1).get("version").asInt()).isEqualTo(3);

        assertThat(Files.readAllLines(out.resolve("paths.csv"))).containsExactly(ReplayOutputs.PATHS_HEADER,
            "1,hack-1," + S + "," + X + ",Example Exchange,exchange-deposit,true,1,100,1,0," + "0x" + "ab".repeat(31) + "02," + S + "," + A1
                + "," + EtlFixture.T + ",1000000,1000000,,",
            "1,hack-1," + S + "," + X + ",Example Exchange,exchange-deposit,true,2,102,0,0," + "0x" + "ab".repeat(31) + "04," + A1 + "," + X
                + "," + EtlFixture.T + ",1000000,1000000,,");
        String dot = Files.readString(out.resolve("paths.dot"));
        assertThat(dot).startsWith("// taintwatch replay: paths into terminal entities\ndigraph taint {")
            .contains("\"" + S + "\" -> \"" + A1 + "\"", "\"" + A1 + "\" -> \"" + X + "\"", "Example Exchange (exchange-deposit)")
            .doesNotContain(EtlFixture.A2).endsWith("}\n");
        String html = Files.readString(out.resolve("report.html"));
        // self-contained: the graph libraries are inline, nothing is loaded from elsewhere
        assertThat(html).contains("data-tw-graph=", "Example Exchange", "hack-1", "incident 42", "tainted-to-exchange")
            .doesNotContainPattern("<script[^>]*\\ssrc=").doesNotContain("<link", "@import");
        assertThat(html).contains("cytoscape", "dagre");
        String data = html.substring(html.indexOf("id=\"tw-report-graph\">") + "id=\"tw-report-graph\">".length());
        com.fasterxml.jackson.databind.JsonNode graph = new com.fasterxml.jackson.databind.ObjectMapper().readTree(data.substring(0,
            data.indexOf("</script>")));
        assertThat(graph.path("nodes").findValuesAsText("id")).containsExactlyInAnyOrder(S, A1, X);
        assertThat(graph.path("edges")).hasSize(2);
    }

    @Test
    void sameInputGivesByteIdenticalFiles() throws IOException {
        Path a = replay("a");
        Path b = replay("b");
        for (String f : ReplayOutputs.FILES) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
    }

    @Test
    void policyAndCutOffsReachTheEngine() throws IOException {
        // with one hop the deposit at hop 2 is not followed: no terminal flow, no exchange alert, no path
        Path out = replay("one-hop", "--max-hops", "1", "--policy", "poison");
        List<JsonNode> flows = lines(out.resolve("flows.jsonl"));
        assertThat(flows).hasSize(3).allSatisfy(f -> assertThat(f.get("policy").asText()).isEqualTo("poison"));
        assertThat(lines(out.resolve("alerts.jsonl"))).extracting(a -> a.get("rule").asText()).containsExactly("watchlist-movement");
        assertThat(Files.readAllLines(out.resolve("paths.csv"))).containsExactly(ReplayOutputs.PATHS_HEADER);
        // the report then draws the flow graph of the fan-out
        assertThat(Files.readString(out.resolve("paths.dot"))).contains("no path reached a terminal entity", EtlFixture.A3);
    }
}
