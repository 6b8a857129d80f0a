package io.taintwatch.ingest.source.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.ingest.Fixtures;
import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.evm.LegOrigin;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.tokens.Token;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The export-file source on real ethereum-etl exports, against ethereum-etl's own expected outputs. */
class EtlExportSourceTest {
    static final Address WETH = Address.parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
    static final EtlExportSource.Options OPTIONS = new EtlExportSource.Options(ChainId.ETHEREUM, Set.of(WETH));
    static final String STREAM = Fixtures.ETL + "test_stream/blocks_17173049_17173050/";

    @TempDir
    Path dir;

    /** Links a shared file into the export directory under a standard table name (no copy into the repo). */
    void link(String shared, String as) throws IOException {
        Files.createSymbolicLink(dir.resolve(as), Fixtures.path(shared).toAbsolutePath());
    }

    @Test
    void realErc20TransfersOf51BlocksImportCompletely() throws IOException {
        link("transfers/ethritch_blocks_12600000-12600050/token_transfers.csv.gz", "token_transfers.csv.gz");
        EtlExportSource src = EtlExportSource.open(dir, OPTIONS);
        List<AssembledBlock> blocks = src.readAll();
        assertThat(blocks).hasSize(51);
        assertThat(blocks).extracting(a -> a.block().number()).containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(12_600_000, 12_600_050).boxed().toList());
        assertThat(blocks.stream().mapToInt(a -> a.block().legs().size()).sum()).isEqualTo(8_817);
        assertThat(src.stats().legs(LegKind.ERC20)).isEqualTo(8_817);
        assertThat(blocks).allSatisfy(a -> {
            assertThat(a.block().hash()).isEqualTo(Hash32.ZERO);
            assertThat(a.block().timestamp()).isZero();
            // within a block, log indexes rise with the legs (chain order)
            List<Integer> logIndexes = a.origins().stream().map(LegOrigin::logIndex).toList();
            assertThat(logIndexes).isSorted().doesNotHaveDuplicates();
        });
        assertThat(src.coverage().limitations()).anySatisfy(l -> assertThat(l).contains("no blocks file"))
            .anySatisfy(l -> assertThat(l).contains("no traces file"))
            .anySatisfy(l -> assertThat(l).contains("token_transfers without logs"));
        // every input row is one leg with its amount: compare the sums per token
        Map<String, BigInteger> expected = new HashMap<>();
        for (Map<String, String> r : Fixtures.csv("transfers/ethritch_blocks_12600000-12600050/token_transfers.csv.gz")) {
            expected.merge(r.get("token_address"), new BigInteger(r.get("value")), BigInteger::add);
        }
        Map<String, BigInteger> ours = new HashMap<>();
        blocks.forEach(a -> a.block().legs().forEach(l -> ours.merge(l.asset().contract().toString(), l.amount(), BigInteger::add)));
        assertThat(ours).isEqualTo(expected);
    }

    /** ethereum-etl token_transfers columns for our ERC-20/ERC-721 legs (ERC-721: value = token id). */
    static List<String> transferRows(List<AssembledBlock> blocks) {
        List<String> out = new ArrayList<>();
        for (AssembledBlock a : blocks) {
            for (int i = 0; i < a.block().legs().size(); i++) {
                Leg l = a.block().legs().get(i);
                if (l.kind() == LegKind.ERC20 || l.kind() == LegKind.ERC721) {
                    BigInteger value = l.kind() == LegKind.ERC721 ? l.asset().tokenId() : l.amount();
                    out.add(String.join(",", l.asset().contract().toString(), l.from().toString(), l.to().toString(), value.toString(),
                        l.txHash().toString(), String.valueOf(a.origins().get(i).logIndex()), String.valueOf(a.block().number())));
                }
            }
        }
        return out;
    }

    static List<String> expectedTransfers(List<Map<String, String>> rows) {
        return rows.stream().map(r -> String.join(",", r.get("token_address"), r.get("from_address"), r.get("to_address"), r.get("value"),
            r.get("transaction_hash"), r.get("log_index"), r.get("block_number"))).toList();
    }

    static List<Map<String, String>> jsonRows(String rel) {
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode n : Fixtures.jsonLines(rel)) {
            Map<String, String> m = new HashMap<>();
            n.fieldNames().forEachRemaining(f -> m.put(f, n.get(f).asText()));
            out.add(m);
        }
        return out;
    }

    @Test
    void blocks17173049And17173050FromBlocksTransactionsAndLogsMatchEthereumEtl() throws IOException {
        link(STREAM + "expected_blocks.json", "blocks.json");
        link(STREAM + "expected_transactions.json", "transactions.json");
        link(STREAM + "expected_logs.json", "logs.json");
        EtlExportSource src = EtlExportSource.open(dir, OPTIONS);
        List<AssembledBlock> blocks = src.readAll();
        assertThat(blocks).hasSize(2);
        assertThat(transferRows(blocks)).containsExactlyElementsOf(expectedTransfers(jsonRows(STREAM + "expected_token_transfers.json")));

        List<JsonNode> txs = Fixtures.jsonLines(STREAM + "expected_transactions.json");
        Map<String, JsonNode> blockRows = new HashMap<>();
        Fixtures.jsonLines(STREAM + "expected_blocks.json").forEach(b -> blockRows.put(b.get("number").asText(), b));
        for (AssembledBlock a : blocks) {
            JsonNode b = blockRows.get(String.valueOf(a.block().number()));
            assertThat(a.block().hash()).isEqualTo(Hash32.parse(b.get("hash").asText()));
            assertThat(a.block().parentHash()).isEqualTo(Hash32.parse(b.get("parent_hash").asText()));
            assertThat(a.block().timestamp()).isEqualTo(b.get("timestamp").asLong());
        }
        long nativeExpected = txs.stream().filter(t -> t.get("receipt_status").asInt() == 1 && t.get("value").bigIntegerValue().signum() > 0).count();
        assertThat(src.stats().legs(LegKind.NATIVE)).isEqualTo(nativeExpected);
        // the fee legs of each transaction add up to receipt_gas_used * receipt_effective_gas_price
        Map<String, BigInteger> fees = new HashMap<>();
        blocks.forEach(a -> a.block().legs().stream().filter(l -> l.kind() == LegKind.FEE)
            .forEach(l -> fees.merge(l.txHash().toString(), l.amount(), BigInteger::add)));
        for (JsonNode t : txs) {
            BigInteger fee = t.get("receipt_gas_used").bigIntegerValue().multiply(t.get("receipt_effective_gas_price").bigIntegerValue());
            assertThat(fees.getOrDefault(t.get("hash").asText(), BigInteger.ZERO)).as(t.get("hash").asText()).isEqualTo(fee);
        }
        // positions are the real transaction indexes
        for (AssembledBlock a : blocks) {
            for (Leg l : a.block().legs()) {
                JsonNode tx = txs.stream().filter(t -> t.get("hash").asText().equals(l.txHash().toString())).findFirst().orElseThrow();
                assertThat(l.position().txIndex()).isEqualTo(tx.get("transaction_index").asInt());
            }
        }
        assertThat(src.stats().legs(LegKind.WETH)).isPositive();
        assertThat(src.coverage().limitations()).singleElement().satisfies(l -> assertThat(l).contains("no traces file"));
    }

    @Test
    void tokenTransfersExportAloneGivesTheSameTransfersAsLogs() throws IOException {
        link(STREAM + "expected_token_transfers.json", "token_transfers.json");
        List<AssembledBlock> blocks = EtlExportSource.open(dir, OPTIONS).readAll();
        // the ERC-721 rows are read as ERC-20 with the token id as amount: compare on ethereum-etl's own columns
        List<String> ours = new ArrayList<>();
        for (AssembledBlock a : blocks) {
            for (int i = 0; i < a.block().legs().size(); i++) {
                Leg l = a.block().legs().get(i);
                ours.add(String.join(",", l.asset().contract().toString(), l.from().toString(), l.to().toString(), l.amount().toString(),
                    l.txHash().toString(), String.valueOf(a.origins().get(i).logIndex()), String.valueOf(a.block().number())));
            }
        }
        assertThat(ours).containsExactlyElementsOf(expectedTransfers(jsonRows(STREAM + "expected_token_transfers.json")));
    }

    @Test
    void logsCsvWithCommaJoinedTopicsMatchesEthereumEtl() throws IOException {
        link(Fixtures.ETL + "test_extract_token_transfers_job/logs/logs.csv", "logs.csv");
        List<AssembledBlock> blocks = EtlExportSource.open(dir, OPTIONS).readAll();
        assertThat(transferRows(blocks)).containsExactlyElementsOf(
            expectedTransfers(Fixtures.csv(Fixtures.ETL + "test_extract_token_transfers_job/logs/expected_token_transfers.csv")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"block_with_create", "block_with_error", "block_with_subtraces", "block_with_suicide"})
    void tracesExportGivesTheSuccessfulNestedValueTransfers(String fixture) throws IOException {
        String csv = Fixtures.ETL + "test_export_traces_job/" + fixture + "/expected_traces.csv";
        link(csv, "traces.csv");
        List<AssembledBlock> blocks = EtlExportSource.open(dir, OPTIONS).readAll();
        List<String> ours = new ArrayList<>();
        for (AssembledBlock a : blocks) {
            for (int i = 0; i < a.block().legs().size(); i++) {
                Leg l = a.block().legs().get(i);
                assertThat(l.kind()).isEqualTo(LegKind.INTERNAL);
                ours.add(String.join(",", String.valueOf(l.position().txIndex()), l.txHash().toString(), l.from().toString(), l.to().toString(),
                    l.amount().toString(), a.origins().get(i).traceAddress()));
            }
        }
        assertThat(ours).containsExactlyElementsOf(io.taintwatch.ingest.source.rpc.EthereumEtlPeerTest.expectedInternal(csv));
        if (fixture.equals("block_with_suicide")) {
            assertThat(ours).hasSize(1);
        }
    }

    @Test
    void exportAsAChainSourceBackfillsEveryBlockThroughTheWorker() throws IOException {
        link("transfers/ethritch_blocks_12600000-12600050/token_transfers.csv.gz", "token_transfers.csv.gz");
        EtlChainSource src = EtlChainSource.load(dir, OPTIONS);
        io.taintwatch.ingest.InMemoryBlockSink sink = new io.taintwatch.ingest.InMemoryBlockSink(null);
        io.taintwatch.ingest.IngestWorker w = new io.taintwatch.ingest.IngestWorker(ChainId.ETHEREUM, src, sink, src.backfillSettings(20),
            io.taintwatch.ingest.metrics.IngestMetrics.noop());
        w.run();
        assertThat(w.finished()).isTrue();
        assertThat(sink.published).hasSize(51);
        assertThat(sink.published.stream().mapToInt(b -> b.legs().size()).sum()).isEqualTo(8_817);
        assertThat(sink.batchSizes).containsExactly(20, 20, 11);
    }

    @Test
    void badRowNamesFileLineAndColumn() throws IOException {
        Files.writeString(dir.resolve("token_transfers.csv"), "token_address,from_address,to_address,value,transaction_hash,log_index,block_number\n"
            + "0xdac17f958d2ee523a2206206994597c13d831ec7,0x0000000000000000000000000000000000000001,0x0000000000000000000000000000000000000002,12x,0x"
            + "ab".repeat(32) + ",0,5\n");
        assertThatThrownBy(() -> EtlExportSource.open(dir, OPTIONS).readAll())
            .isInstanceOf(ExportFormatException.class).hasMessageContaining("token_transfers.csv line 2").hasMessageContaining("'value'");
    }

    @Test
    void theTokensTableGivesTheTokensAsEthereumEtlExportedThem() throws IOException {
        Files.writeString(dir.resolve("token_transfers.csv"), "token_address,from_address,to_address,value,transaction_hash,log_index,block_number\n");
        link(Fixtures.ETL + "test_export_tokens_job/token_with_alternative_return_type/expected_tokens.csv", "tokens.csv");
        link(Fixtures.ETL + "test_export_tokens_job/token_with_invalid_data/expected_tokens.csv", "tokens-000000000001.csv");
        link(Fixtures.ETL + "test_stream/blocks_2112234_2112234/expected_tokens.json", "tokens-000000000002.json");

        List<Token> tokens = EtlExportSource.open(dir, OPTIONS).tokens();

        assertThat(tokens).extracting(t -> t.address() + " " + t.symbol() + "/" + t.name() + "/" + t.decimals()).containsExactly(
            "0x86fa049857e0209aa7d9e616f7eb3b3b78ecfdb0 EOS//18",
            "0xdbdacfc9eb9d42559ac1efbdb40460c728139e6a //0",
            "0xf763be8b3263c268e9789abfb3934564a7b80054 ETH/ETH/18");
        assertThat(tokens).allSatisfy(t -> assertThat(t.status()).isEqualTo(TokenStatus.UNVERIFIED))
            .allSatisfy(t -> assertThat(t.chain()).isEqualTo(ChainId.ETHEREUM));
    }

    @Test
    void ofTwoRowsOfATokenTheLaterBlockWinsNonsenseDecimalsAreUnknownAndABadAddressNamesItsLine() throws IOException {
        Files.writeString(dir.resolve("token_transfers.csv"), "token_address,from_address,to_address,value,transaction_hash,log_index,block_number\n");
        String t = "0x" + "12".repeat(20);
        Files.writeString(dir.resolve("tokens.csv"), "address,symbol,name,decimals,total_supply,block_number\n"
            + t + ",NEW,New,6,1,50\n" + t + ",OLD,Old,6,1,40\n" + "0x" + "34".repeat(20) + ",ODD,Odd,300,1,1\n");
        assertThat(EtlExportSource.open(dir, OPTIONS).tokens()).extracting(x -> x.symbol() + "/" + x.decimals()).containsExactly("NEW/6", "ODD/null");

        Files.writeString(dir.resolve("tokens.csv"), "address,symbol,name,decimals,total_supply,block_number\n0x12,X,X,6,1,1\n");
        assertThatThrownBy(() -> EtlExportSource.open(dir, OPTIONS).tokens())
            .isInstanceOf(ExportFormatException.class).hasMessageContaining("tokens.csv line 2").hasMessageContaining("'address'");
    }

    @Test
    void directoryWithoutExportFilesIsRejected() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> EtlExportSource.open(dir, OPTIONS)).hasMessageContaining("no export files");
    }

    @Test
    void legPositionsAreStrictlyIncreasing() throws IOException {
        link("transfers/ethritch_blocks_12600000-12600050/token_transfers.csv.gz", "token_transfers.csv.gz");
        Position prev = null;
        for (AssembledBlock a : EtlExportSource.open(dir, OPTIONS).readAll()) {
            for (Leg l : a.block().legs()) {
                if (prev != null) {
                    assertThat(l.position()).isGreaterThan(prev);
                }
                prev = l.position();
            }
        }
    }
}
