package io.taintwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.replay.Cli;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.source.etl.EtlExportSource;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.ExportWriter;
import io.taintwatch.synth.MainnetChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic chain's ethereum-etl export reads back, through the ingest's export source, into the very same block records. */
class SyntheticExportTest {
    static final ChainId CHAIN = new ChainId(1, "ethereum");

    @Test
    void theExportReplaysIntoTheSameBlockRecordsByteForByte(@TempDir Path dir) throws Exception {
        MainnetChain chain = new MainnetChain(CHAIN, MainnetChain.Params.defaults(21).withLaundering(20_000));
        List<byte[]> expected = new ArrayList<>();
        try (ExportWriter w = new ExportWriter(dir, chain, true)) {
            for (int i = 0; i < 30; i++) {
                MainnetChain.GeneratedBlock g = chain.nextDetailed();
                expected.add(BlockCodec.encode(g.block()));
                w.write(g);
            }
        }
        List<AssembledBlock> read = EtlExportSource.open(dir, new EtlExportSource.Options(CHAIN, Set.of())).readAll();
        assertThat(read).hasSize(30);
        for (int i = 0; i < read.size(); i++) {
            assertThat(BlockCodec.encode(read.get(i).block())).as("block %d", i).isEqualTo(expected.get(i));
        }
        assertThat(Files.readString(dir.resolve("seeds.csv"))).contains("synthetic:theft-0,theft");
        assertThat(Files.readString(dir.resolve("labels.csv"))).contains(",exchange-deposit,").contains(",dex,").contains(",mixer,");
    }

    @Test
    void benchExportEtlWritesFilesThatTaintwatchReplayTurnsIntoAlerts(@TempDir Path dir) throws Exception {
        Path export = dir.resolve("export");
        Cli gen = Cli.run("bench", "--export-etl", export.toString(), "--blocks", "60", "--seed", "3");
        assertThat(gen.exit()).as(gen.err()).isZero();
        assertThat(gen.out()).contains("wrote 60 blocks");
        Path out = dir.resolve("out");
        Cli replay = Cli.run("replay", "--etl", export.toString(), "--seeds", export.resolve("seeds.csv").toString(), "--labels",
            export.resolve("labels.csv").toString(), "--no-default-labels", "--out", out.toString(), "--quiet");
        assertThat(replay.exit()).as(replay.err()).isZero();
        List<String> alerts = Files.readAllLines(out.resolve("alerts.jsonl"));
        assertThat(alerts).isNotEmpty();
        assertThat(String.join("\n", alerts)).contains("tainted-to-exchange").contains("synthetic:theft-");
    }
}
