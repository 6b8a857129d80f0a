package io.taintwatch.ingest.source.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.ingest.Fixtures;
import io.taintwatch.ingest.evm.ExtractionStats;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.LogDecoder;
import io.taintwatch.ingest.evm.TokenMove;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/** Our extraction from ethereum-etl's recorded RPC responses equals ethereum-etl's own expected outputs. */
public class EthereumEtlPeerTest {
    final TraceDecoder traces = new TraceDecoder(Fixtures.MAPPER);

    /** The ethereum-etl token_transfers columns our ERC-20/ERC-721 legs map to (ERC-721: value = token id). */
    static String tokenTransferRow(TokenMove m, long block) {
        BigInteger value = m.kind() == LegKind.ERC721 ? m.asset().tokenId() : m.amount();
        return String.join(",", m.asset().contract().toString(), m.from().toString(), m.to().toString(), value.toString(),
            m.txHash().toString(), String.valueOf(m.logIndex()), String.valueOf(block));
    }

    @Test
    void tokenTransfersOfTheExportJobEqualEthereumEtls() throws Exception {
        String dir = Fixtures.ETL + "test_export_token_transfers_job/block_with_transfers/";
        JsonNode resp = Fixtures.json(dir + "web3_response.eth_getFilterLogs_0x0.json");
        // the whole recorded response, as web3j's response type
        EthLog answer = JsonRpcClient.mapper().treeToValue(resp, EthLog.class);
        LogDecoder decoder = new LogDecoder(java.util.Set.of());
        List<String> ours = new ArrayList<>();
        for (EthLog.LogResult<?> r : answer.getLogs()) {
            Log l = (Log) r.get();
            for (TokenMove m : decoder.decode(RpcBlockExtractor.evmLog(l))) {
                ours.add(tokenTransferRow(m, Quantity.asLong(l.getBlockNumberRaw())));
            }
        }
        List<String> expected = Fixtures.csv(dir + "expected_token_transfers.csv").stream()
            .map(r -> String.join(",", r.get("token_address"), r.get("from_address"), r.get("to_address"), r.get("value"),
                r.get("transaction_hash"), r.get("log_index"), r.get("block_number")))
            .toList();
        assertThat(ours).hasSize(2).containsExactlyElementsOf(expected);
    }

    /**
     * ethereum-etl's traces reduced to what moves value between accounts: successful ({@code status=1}), nested
     * (non-empty trace address; the top-level frame is the transaction's native leg), {@code call}/{@code create}/
     * {@code suicide} (not delegatecall/callcode/staticcall, not rewards), value above zero.
     */
    public static List<String> expectedInternal(String csv) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> r : Fixtures.csv(csv)) {
            String type = r.get("trace_type");
            boolean moves = ("call".equals(type) && "call".equals(r.get("call_type"))) || "create".equals(type) || "suicide".equals(type);
            if ("1".equals(r.get("status")) && !r.get("trace_address").isEmpty() && moves && new BigInteger(r.get("value")).signum() > 0) {
                out.add(String.join(",", r.get("transaction_index"), r.get("transaction_hash"), r.get("from_address"), r.get("to_address"),
                    r.get("value"), r.get("trace_address").replace(',', '.')));
            }
        }
        return out;
    }

    static List<String> rows(List<InternalTransfer> ts) {
        return ts.stream().map(t -> String.join(",", String.valueOf(t.txIndex()), String.valueOf(t.txHash()), t.from().toString(),
            t.to().toString(), t.value().toString(), t.traceAddress())).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"block_with_create", "block_with_error", "block_with_subtraces", "block_with_suicide", "block_without_transactions"})
    void internalTransfersFromTraceBlockEqualEthereumEtlsSuccessfulValueTraces(String fixture) throws Exception {
        String dir = Fixtures.ETL + "test_export_traces_job/" + fixture + "/";
        String file = java.nio.file.Files.list(Fixtures.path(dir)).map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("web3_response.trace_block")).findFirst().orElseThrow();
        List<ParityTrace> raw = Fixtures.MAPPER.convertValue(Fixtures.json(dir + file).get("result"), new TypeReference<>() {});
        ExtractionStats stats = new ExtractionStats();
        List<InternalTransfer> ours = traces.fromParity(0, raw, stats);
        assertThat(rows(ours)).containsExactlyElementsOf(expectedInternal(dir + "expected_traces.csv"));
        long rewards = raw.stream().filter(t -> "reward".equals(t.type())).count();
        assertThat(stats.skippedTraceFrames()).isEqualTo(rewards);
    }

    @ParameterizedTest
    @ValueSource(strings = {"block_with_create", "block_with_error", "block_with_subtraces", "block_without_transactions"})
    void internalTransfersFromCallTracerEqualThoseFromTraceBlock(String fixture) throws Exception {
        assertThat(callTracerRows(fixture, new ExtractionStats())).containsExactlyElementsOf(
            expectedInternal(Fixtures.ETL + "test_export_traces_job/" + fixture + "/expected_traces.csv"));
    }

    /** This 2016 geth reported SELFDESTRUCT frames without beneficiary or value: the frame is counted, not guessed. */
    @Test
    void oldGethSelfdestructFrameWithoutValueIsCountedAsIncomplete() throws Exception {
        ExtractionStats stats = new ExtractionStats();
        assertThat(callTracerRows("block_with_suicide", stats)).isEmpty();
        assertThat(stats.incompleteTraceFrames()).isEqualTo(1);
    }

    List<String> callTracerRows(String fixture, ExtractionStats stats) throws Exception {
        String gethDir = Fixtures.ETL + "test_extract_geth_traces_job/" + fixture + "/";
        String file = java.nio.file.Files.list(Fixtures.path(gethDir)).map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("web3_response.debug_traceBlockByNumber")).findFirst().orElseThrow();
        List<TxTrace> raw = Fixtures.MAPPER.convertValue(Fixtures.json(gethDir + file).get("result"), new TypeReference<>() {});
        // the callTracer response names no transaction hashes; take them by index from ethereum-etl's trace export
        TreeMap<Integer, Hash32> hashes = new TreeMap<>();
        String parityCsv = Fixtures.ETL + "test_export_traces_job/" + fixture + "/expected_traces.csv";
        for (Map<String, String> r : Fixtures.csv(parityCsv)) {
            if (!r.get("transaction_hash").isEmpty()) {
                hashes.put(Integer.parseInt(r.get("transaction_index")), Hash32.parse(r.get("transaction_hash")));
            }
        }
        return rows(traces.fromCallTracer(0, raw, new ArrayList<>(hashes.values()), stats));
    }
}
