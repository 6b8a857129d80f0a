package io.taintwatch.ingest.evm;

import io.taintwatch.ingest.Fixtures;
import io.taintwatch.ingest.source.rpc.JsonRpcClient;
import io.taintwatch.ingest.source.rpc.RpcBlockExtractor;
import io.taintwatch.model.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.EthGetBlockReceipts;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The ERC-20 {@code Transfer} logs of mainnet block 18,000,000 (erigon's recorded receipts, ../shared/data) decoded two
 * ways from web3j's {@link Log}, in nanoseconds per log: {@link LogDecoder} (web3j event topics, fixed words read
 * directly, the address topic checked for its 12 zero bytes) and web3j's {@code FunctionReturnDecoder} for both address
 * topics and the amount, as a decoder built on web3j alone would do it (without the address check). Run: {@code scripts/jmh.sh monitor-ingest LogDecodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LogDecodeBenchmark {
    private static final TypeReference<Address> ADDRESS = new TypeReference<>(true) {};
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final List<TypeReference<Type>> AMOUNT = (List) List.of(new TypeReference<Uint256>() {});

    private final LogDecoder decoder = new LogDecoder(Set.of());
    private final List<Log> raw = new ArrayList<>();
    private int next;

    @Setup
    public void load() throws Exception {
        EthGetBlockReceipts r = JsonRpcClient.mapper().treeToValue(
            Fixtures.json(Fixtures.ERIGON + "eth_getBlockReceipts/test_02.json.gz").get(0).get("response"), EthGetBlockReceipts.class);
        for (TransactionReceipt receipt : r.getResult()) {
            for (Log l : receipt.getLogs()) {
                if (l.getTopics().size() == 3 && l.getTopics().get(0).equalsIgnoreCase(LogDecoder.TRANSFER.toString())
                    && Hex.decode(l.getData()).length == 32) {
                    raw.add(l);
                }
            }
        }
        if (raw.isEmpty()) {
            throw new IllegalStateException("no ERC-20 Transfer logs in the fixture");
        }
    }

    /** From the response's log, as ingest does: topics and data out of hex, then {@link LogDecoder}. */
    @Benchmark
    public void logDecoder(Blackhole bh) throws MalformedLogException {
        bh.consume(decoder.decode(RpcBlockExtractor.evmLog(raw.get(next++ % raw.size()))));
    }

    @Benchmark
    public void web3jFunctionReturnDecoder(Blackhole bh) {
        Log l = raw.get(next++ % raw.size());
        bh.consume(FunctionReturnDecoder.decodeIndexedValue(l.getTopics().get(1), ADDRESS));
        bh.consume(FunctionReturnDecoder.decodeIndexedValue(l.getTopics().get(2), ADDRESS));
        bh.consume(FunctionReturnDecoder.decode(l.getData(), AMOUNT));
    }
}
