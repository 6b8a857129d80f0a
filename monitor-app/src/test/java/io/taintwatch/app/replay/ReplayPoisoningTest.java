package io.taintwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.alerts.AlertSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thief's outbound history as an incident responder exports it (token_transfers and tokens, ethereum-etl layout): he
 * pays his mule in a real token; a forged "ЕТН" token and a zero-value transfer then write transfers "from" him to
 * lookalikes of the mule. The replay reads the tokens table, follows none of the forged legs, flags the lookalikes and
 * says why, in every output.
 */
class ReplayPoisoningTest {
    static final String THIEF = "0x47666fab8bd0ac7003bce3f5c3585383f09486e2";
    static final String MULE = "0xa4b2fd68593b6f34e51cb9edb66e71c1b4ab449e";
    /** First 3 and last 4 hex digits of the mule's. */
    static final String LOOKALIKE = "0xa4b00000000000000000000000000000000b449e";
    static final String LOOKALIKE2 = "0xa4b11111111111111111111111111111111b449e";
    static final String USDX = "0x1000000000000000000000000000000000000001";
    static final String FAKE = "0x2000000000000000000000000000000000000002";
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String tx(int n) {
        return "0x" + "cd".repeat(31) + String.format("%02x", n);
    }

    @Test
    void forgedTransfersToLookalikesAreNotFollowedAndTheOutputsSayWhy() throws IOException {
        Path etl = Files.createDirectories(tmp.resolve("etl"));
        Files.writeString(etl.resolve("token_transfers.csv"), String.join("\n",
            "token_address,from_address,to_address,value,transaction_hash,log_index,block_number",
            USDX + "," + THIEF + "," + MULE + ",250000000000," + tx(1) + ",0,100",
            FAKE + "," + THIEF + "," + LOOKALIKE + ",554883000000000000000000," + tx(2) + ",0,101",
            USDX + "," + THIEF + "," + LOOKALIKE2 + ",0," + tx(3) + ",0,102") + "\n");
        Files.writeString(etl.resolve("tokens.csv"), String.join("\n", "address,symbol,name,decimals,total_supply,block_number",
            USDX + ",USDX,Demo Dollar,6,1000000000000,90",
            FAKE + ",ЕТН,Ether,18,0,95") + "\n", StandardCharsets.UTF_8);
        Path seeds = Files.writeString(tmp.resolve("seeds.csv"), "address,source_id,category,reference\n" + THIEF + ",theft-1,theft,incident 7\n");
        Path out = tmp.resolve("out");
        Cli r = Cli.run("replay", "--etl", etl.toString(), "--seeds", seeds.toString(), "--no-default-labels", "--out", out.toString(), "--quiet");
        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();

        List<JsonNode> flows = lines(out.resolve("flows.jsonl"));
        assertThat(flows).extracting(f -> f.get("to").asText() + ":" + f.get("kind").asText())
            .containsExactly(MULE + ":tracked", LOOKALIKE + ":skipped");
        JsonNode skipped = flows.get(1);
        assertThat(skipped.get("skip_reason").asText()).isEqualTo("counterfeit");
        assertThat(skipped.get("asset_symbol").asText()).isEqualTo("ЕТН");
        assertThat(skipped.get("lookalike_of").asText()).isEqualTo(MULE);
        assertThat(skipped.get("asset_reason").asText()).contains("looks like ETH, the native asset");
        assertThat(flows.get(0).has("lookalike_of")).as("only skipped flows carry the replay's annotations").isFalse();

        List<JsonNode> alerts = lines(out.resolve("alerts.jsonl"));
        for (JsonNode a : alerts) {
            assertThat(AlertSchema.errors(a.toString())).as("schema errors of %s", a).isEmpty();
        }
        assertThat(alerts).extracting(a -> a.get("rule").asText() + ":" + a.get("subject").asText()).containsExactlyInAnyOrder(
            "address-poisoning:" + LOOKALIKE, "address-poisoning:" + LOOKALIKE2, "watchlist-movement:" + THIEF);
        JsonNode movement = alerts.stream().filter(a -> a.get("rule").asText().equals("watchlist-movement")).findFirst().orElseThrow();
        // opened and headlined by the real transfer, in symbols and decimals from the tokens table
        assertThat(movement.at("/headline/amount/formatted").asText()).isEqualTo("250000");
        assertThat(movement.at("/headline/amount/symbol").asText()).isEqualTo("USDX");
        assertThat(movement.at("/headline/amount/status").asText()).isEqualTo("unverified");
        assertThat(movement.get("reasons").toString()).contains("unverified token " + USDX);
        assertThat(movement.at("/skipped/assets/0/symbol").asText()).isEqualTo("ЕТН");
        assertThat(movement.at("/skipped/byReason/counterfeit").asInt()).isEqualTo(1);
        assertThat(movement.at("/skipped").has("lookalikes")).as("lookalikes are the address-poisoning alerts' subjects").isFalse();
        JsonNode poisoning = alerts.stream().filter(a -> a.get("subject").asText().equals(LOOKALIKE2)).findFirst().orElseThrow();
        assertThat(poisoning.at("/lookalike/kind").asText()).isEqualTo("zero-value");
        assertThat(poisoning.at("/lookalike/real/amount/formatted").asText()).isEqualTo("250000");

        assertThat(Files.readAllLines(out.resolve("skipped.csv"), StandardCharsets.UTF_8)).containsExactly(ReplayOutputs.SKIPPED_HEADER,
            "101,0,0," + tx(2) + "," + THIEF + "," + LOOKALIKE + "," + FAKE + ",ЕТН,Ether,554883000000000000000000,554883,counterfeit,counterfeit,"
                + "\"" + skipped.get("asset_reason").asText().replace("\"", "\"\"") + "\"," + MULE + "," + THIEF);
        assertThat(Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8))
            .contains("Not followed", "ЕТН", "counterfeit", LOOKALIKE, "250000 USDX (unverified)");
    }

    private static List<JsonNode> lines(Path f) throws IOException {
        List<JsonNode> l = new ArrayList<>();
        for (String s : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            l.add(M.readTree(s));
        }
        return l;
    }
}
