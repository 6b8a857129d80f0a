package io.taintwatch.ingest.source.tron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.source.etl.ExportFormatException;
import io.taintwatch.model.Block;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TronEtlExportTest {
    private static List<Block> read(Path dir, Long from, Long to) throws Exception {
        List<Block> out = new ArrayList<>();
        new TronEtlExport(dir, TronSourceReplayTest.TRON, Set.of(), from, to).forEachBlock((AssembledBlock a) -> out.add(a.block()));
        return out;
    }

    @Test
    void aTronetlExportOfTheRecordedBlockGivesTheSameLegsAsTheNode() throws Exception {
        Path dir = Path.of(TronEtlExportTest.class.getResource("tronetl-70000000").toURI());

        List<Block> blocks = read(dir, null, null);

        assertThat(blocks).singleElement().satisfies(b -> {
            assertThat(b.number()).isEqualTo(TronSourceReplayTest.N);
            assertThat(b.hash().toString()).isEqualTo("0x00000000042c1d8070b84520fabf20444afcb35ed5452f8759b95d11833204d7");
            assertThat(b.timestamp()).isEqualTo(1_780_000_002L);
            // the TRC-10 transfer's value (100) and the reverted call's 3 TRX are not TRX legs; the fees are energy_fee + net_fee.
            // tronetl exports no token id for a transaction's own TRC-10 (tx 4's TransferAssetContract, tx 2's call_token_value):
            // only those are missing, and tx 2's later legs move up one sub-index
            List<Leg> expected = new ArrayList<>();
            for (Leg l : TronSourceReplayTest.EXPECTED) {
                if (l.kind() != LegKind.TRC10) {
                    int sub = l.position().txIndex() == 2 && l.position().subIndex() > 1 || l.position().txIndex() == 4
                        ? l.position().subIndex() - 1 : l.position().subIndex();
                    expected.add(new Leg(new Position(l.position().block(), l.position().txIndex(), sub), l.kind(), l.txHash(), l.from(),
                        l.to(), l.asset(), l.amount()));
                }
            }
            assertThat(expected).anySatisfy(l -> assertThat(l.asset()).isEqualTo(TronSourceReplayTest.TRC10));
            assertThat(TronSourceReplayTest.shape(b.legs())).containsExactlyElementsOf(expected);
        });
    }

    @Test
    void aBadAddressIsRefusedNamingFileLineAndColumn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token_transfers.csv"), """
            block_number,transaction_hash,log_index,token_address,from_address,to_address,value
            5,b621ce028579380335a6c73126a2fc784b4012ed999f6ff08603ea824d78d145,0,TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t,TCL79Hyxqs2SXAyZk8nmJ3h36DRazm4bTC,TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH,7
            5,b621ce028579380335a6c73126a2fc784b4012ed999f6ff08603ea824d78d145,1,TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t,TCL79Hyxqs2SXAyZk8nmJ3h36DRazm4bTD,TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH,7
            """);

        assertThatThrownBy(() -> read(dir, null, null)).isInstanceOf(ExportFormatException.class)
            .hasMessageStartingWith("token_transfers.csv line 3: column 'from_address': invalid Tron address 'TCL79Hyxqs2SXAyZk8nmJ3h36DRazm4bTD'")
            .hasMessageContaining("checksum mismatch");
    }

    @Test
    void blocksOfTheRangeWithoutRowsStillGetTheirRecord(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token_transfers.csv"), """
            block_number,transaction_hash,log_index,token_address,from_address,to_address,value
            5,b621ce028579380335a6c73126a2fc784b4012ed999f6ff08603ea824d78d145,0,TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t,TCL79Hyxqs2SXAyZk8nmJ3h36DRazm4bTC,TC3w9kcrEnnBRXeW4AgCimuWKU9K1i6CfH,7
            """);

        List<Block> blocks = read(dir, 4L, 6L);

        assertThat(blocks).extracting(Block::number).containsExactly(4L, 5L, 6L);
        assertThat(blocks.get(1).legs()).singleElement().satisfies(l -> assertThat(l.amount()).hasToString("7"));
    }
}
