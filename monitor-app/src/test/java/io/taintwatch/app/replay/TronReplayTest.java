package io.taintwatch.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.alerts.AlertSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taintwatch replay --chain tron --etl}: a tronetl export in which a sanctioned Tron address pays an intermediary, who
 * deposits at an exchange. Every file shows Tron's {@code T...} addresses; a seed of an EVM address does not apply.
 */
class TronReplayTest {
    private static final ObjectMapper M = new ObjectMapper();
    /** On OFAC's SDN list (TRX). */
    static final String S = "TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM";
    static final String A = "TCL79Hyxqs2SXAyZk8nmJ3h36DRazm4bTC";
    static final String X = "TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH";

    @TempDir
    Path tmp;

    private static String tx(int n) {
        return String.format("%064x", 0xabc000 + n);
    }

    private Path export() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tronetl"));
        Files.writeString(dir.resolve("blocks.csv"), "number,hash,parent_hash,timestamp\n"
            + "100," + String.format("%016x", 100) + "a".repeat(48) + "," + String.format("%016x", 99) + "b".repeat(48) + ",1780000000\n"
            + "101," + String.format("%016x", 101) + "a".repeat(48) + "," + String.format("%016x", 100) + "a".repeat(48) + ",1780000003\n");
        Files.writeString(dir.resolve("transactions.csv"), "hash,block_number,transaction_index,from_address,to_address,value,transaction_type,status\n"
            + tx(1) + ",100,0," + S + "," + A + ",50000000,TransferContract,SUCCESS\n"
            + tx(2) + ",101,0," + A + "," + X + ",40000000,TransferContract,SUCCESS\n");
        Files.writeString(dir.resolve("receipts.csv"), "transaction_hash,block_number,energy_fee,net_fee,result\n"
            + tx(1) + ",100,0,267000,SUCCESS\n" + tx(2) + ",101,0,267000,SUCCESS\n");
        return dir;
    }

    @Test
    void aTronReplayWritesTronAddressesInEveryFileAndIgnoresSeedsOfEvmChains() throws IOException {
        Path seeds = tmp.resolve("seeds.csv");
        Files.writeString(seeds, "address,source_id,category,reference\n"
            + S + ",ofac:45404,sanctions,OFAC SDN on Tron\n"
            + "0x098b716b8aaf21512996dc57eb0615e2383e2f96,ofac:27307,sanctions,an EVM address\n");
        Path labels = tmp.resolve("labels.csv");
        Files.writeString(labels, "address,category,name\n" + X + ",exchange-deposit,Example Exchange\n");
        Path out = tmp.resolve("out");

        Cli r = Cli.run("replay", "--chain", "tron", "--etl", export().toString(), "--seeds", seeds.toString(), "--labels", labels.toString(),
            "--out", out.toString(), "--dust", "0");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).contains("1 seeds of --seeds are addresses of other kinds of chain than tron and do not apply");
        List<JsonNode> flows = lines(out.resolve("flows.jsonl"));
        assertThat(flows).extracting(f -> f.get("from").asText() + ">" + f.get("to").asText() + ":" + f.get("kind").asText())
            .containsExactly(S + ">" + A + ":tracked", A + ">" + X + ":terminal");
        assertThat(flows.get(1).get("recipient_entity").get("address").asText()).isEqualTo(X);
        assertThat(flows.get(1).get("paths").get(0).get("source").asText()).isEqualTo(S);

        for (String a : Files.readAllLines(out.resolve("alerts.jsonl"))) {
            assertThat(AlertSchema.errors(a)).as("schema errors of %s", a).isEmpty();
        }
        JsonNode deposit = lines(out.resolve("alerts.jsonl")).stream().filter(a -> a.get("rule").asText().equals("tainted-to-exchange"))
            .findFirst().orElseThrow();
        assertThat(deposit.get("chain").get("kind").asText()).isEqualTo("tron");
        assertThat(deposit.get("to").asText()).isEqualTo(X);
        assertThat(deposit.get("toEntity").get("address").asText()).isEqualTo(X);
        assertThat(deposit.get("sources").get(0).get("address").asText()).isEqualTo(S);
        assertThat(deposit.get("path").get("hops")).extracting(h -> h.get("from").asText() + ">" + h.get("to").asText())
            .containsExactly(S + ">" + A, A + ">" + X);
        assertThat(deposit.get("tainted").get("symbol").asText()).isEqualTo("TRX");
        assertThat(deposit.get("tainted").get("formatted").asText()).isEqualTo("40");

        assertThat(Files.readAllLines(out.resolve("paths.csv")).get(1)).startsWith("1,ofac:45404," + S + "," + X + ",Example Exchange,")
            .contains("," + S + "," + A + ",native,");
        assertThat(Files.readString(out.resolve("paths.dot"))).contains("\"" + S + "\" -> \"" + A + "\"").doesNotContain("0x");
        assertThat(Files.readString(out.resolve("report.html"))).contains(X).contains(S);
    }

    private static List<JsonNode> lines(Path f) throws IOException {
        List<JsonNode> l = new ArrayList<>();
        for (String s : Files.readAllLines(f)) {
            l.add(M.readTree(s));
        }
        return l;
    }
}
