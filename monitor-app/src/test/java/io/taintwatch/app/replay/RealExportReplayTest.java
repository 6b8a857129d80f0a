package io.taintwatch.app.replay;

import io.taintwatch.alerts.AlertSchema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --etl} on a real export: all ERC-20 transfers of mainnet blocks 12,600,000-12,600,050 (token_transfers only,
 * gzip). The seed is the address sending the most tokens in the file after the zero address and the Uniswap router
 * (0xfd3d..., 86 transfers), picked from the data.
 */
class RealExportReplayTest {
    private static final String SEED = "0xfd3dfb524b2da40c8a6d703c62be36b5d8540626";

    @TempDir
    Path tmp;

    @Test
    void replaysTheExportAndWritesAllFiles() throws Exception {
        Path export = SharedData.path("transfers/ethritch_blocks_12600000-12600050");
        Path seeds = Files.writeString(tmp.resolve("seeds.csv"), "address,source_id,category,reference\n" + SEED + ",case-7,scam,test seed\n");
        Path out = tmp.resolve("out");
        Cli r = Cli.run("replay", "--etl", export.toString(), "--seeds", seeds.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // 51 blocks with all 8,817 legs of the file (block 12,600,044 has none and still counts)
        assertThat(r.out()).contains("replay: 51 blocks, 8817 legs, ");
        assertThat(r.err()).contains("replay: block 12600050, 51 blocks");
        for (String f : ReplayOutputs.FILES) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        ObjectMapper m = new ObjectMapper();
        List<String> flows = Files.readAllLines(out.resolve("flows.jsonl"));
        assertThat(flows).isNotEmpty();
        long direct = 0;
        for (String line : flows) {
            JsonNode f = m.readTree(line);
            assertThat(f.get("block").asLong()).isBetween(12_600_000L, 12_600_050L);
            assertThat(f.get("tainted").has("case-7")).isTrue();
            if (f.get("hop").get("case-7").asInt() == 1) {
                direct++;
                assertThat(f.get("from").asText()).isEqualTo(SEED);
            }
        }
        assertThat(direct).as("the seed's own outgoing transfers").isPositive().isLessThanOrEqualTo(86);
        for (String a : Files.readAllLines(out.resolve("alerts.jsonl"))) {
            assertThat(AlertSchema.errors(a)).isEmpty();
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("data-tw-graph=", "case-7");
    }
}
