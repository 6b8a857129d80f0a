package io.taintwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.synth.SyntheticChain;
import io.taintwatch.taint.Account;
import io.taintwatch.taint.StateCodec;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor's persisted state, restarted on the same RocksDB stores (a new processor instance restores from them,
 * as after a crash): the flows equal the engine's in process, and {@code taint-accounts} holds exactly the header and
 * holding records of the engine's accounts, nothing stale. A store of version-1 whole-account records (the former
 * layout) is read and rewritten in the new layout as its accounts change.
 */
class TaintProcessorStateTest {
    static final ChainId CHAIN = new ChainId(777, "synth");
    static final int BLOCKS = 300;

    final List<Block> blocks = new ArrayList<>();
    TaintTopologyConfig config;
    TaintEngine inProcess;
    MockProcessorContext<String, TaintFlow> context;
    List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
    TaintProcessor processor;
    long offset;

    @BeforeEach
    void setUp() throws Exception {
        SyntheticChain chain = new SyntheticChain(CHAIN, new SyntheticChain.Params(42, 5_000, 60, 3, 20, 3, 40_000), 1);
        for (int i = 0; i < BLOCKS; i++) {
            blocks.add(chain.next());
        }
        config = TaintTopologyConfig.live(CHAIN, TaintConfig.defaults()).withInitial(chain.seeds(), chain.labels());
        inProcess = new TaintEngine(CHAIN, TaintConfig.defaults());
        chain.seeds().forEach(inProcess::putSeed);
        chain.labels().forEach(inProcess::putLabel);
        Path dir = Files.createTempDirectory("tw-state-");
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), dir.toFile());
        for (String name : new String[] {TaintTopology.ACCOUNTS_STORE, TaintTopology.SEEDS_STORE, TaintTopology.LABELS_STORE,
            TaintTopology.META_STORE, TaintTopology.RECEIVED_STORE}) {
            KeyValueStore<Bytes, byte[]> s = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TaintTopology.storeName(CHAIN, name)), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
            s.init(context.getStateStoreContext(), s);
            context.addStateStore(s);
            stores.add(s);
        }
    }

    @AfterEach
    void tearDown() {
        if (processor != null) {
            processor.close();
        }
        stores.forEach(KeyValueStore::close);
    }

    void restart() {
        if (processor != null) {
            processor.close();
        }
        processor = new TaintProcessor(config, new SimpleMeterRegistry(), new SectionTimes(false));
        processor.init(context);
    }

    /** Feeds blocks [from, to) to the processor and the in-process engine; returns both engines' flows. */
    List<List<TaintFlow>> feed(int from, int to) {
        List<TaintFlow> expected = new ArrayList<>();
        List<TaintFlow> actual = new ArrayList<>();
        for (Block b : blocks.subList(from, to)) {
            expected.addAll(inProcess.process(b).flows());
            context.setRecordMetadata(config.blocksTopic(), 0, offset++);
            processor.process(new Record<>("777", BlockCodec.scan(BlockCodec.encode(b)), b.timestamp() * 1000));
        }
        context.forwarded().forEach(f -> actual.add(f.record().value()));
        context.resetForwards();
        return List.of(expected, actual);
    }

    KeyValueStore<Bytes, byte[]> accounts() {
        return stores.get(0);
    }

    /** The accounts store as hex key -> hex value. */
    TreeMap<String, String> stored() {
        TreeMap<String, String> out = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = accounts().all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.put(HexFormat.of().formatHex(kv.key.get()), HexFormat.of().formatHex(kv.value));
            }
        }
        return out;
    }

    /** What the store must hold for the in-process engine; an account whose record is still version 1 stays whole. */
    TreeMap<String, String> expectedStore(TreeMap<String, String> actual) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Account a : inProcess.accounts()) {
            String header = HexFormat.of().formatHex(StateCodec.accountKey(a.address()));
            String current = actual.get(header);
            if (current != null && current.startsWith("01")) {
                out.put(header, HexFormat.of().formatHex(StateCodec.encodeAccount(a)));
                continue;
            }
            out.put(header, HexFormat.of().formatHex(StateCodec.encodeHeader(a)));
            for (Asset x : a.holdings().keySet()) {
                out.put(HexFormat.of().formatHex(StateCodec.holdingKey(a.address(), x)), HexFormat.of().formatHex(StateCodec.encodeHolding(a, x)));
            }
        }
        return out;
    }

    @Test
    void restartsOnTheSameStoresContinueExactlyAndTheStoreHoldsExactlyTheEngineState() {
        int flows = 0;
        for (int from = 0, step = 1; from < BLOCKS; from += step, step = step * 2 + 7) {
            restart();
            List<List<TaintFlow>> out = feed(from, Math.min(BLOCKS, from + step));
            assertThat(out.get(1)).as("flows of blocks from %d", from).isEqualTo(out.get(0));
            flows += out.get(0).size();
            TreeMap<String, String> stored = stored();
            assertThat(stored).as("taint-accounts after block %d", Math.min(BLOCKS, from + step)).isEqualTo(expectedStore(stored));
            assertThat(stored.values()).allMatch(v -> v.startsWith("02"));
        }
        assertThat(flows).as("the chain taints enough addresses to test with").isGreaterThan(100);
        assertThat(inProcess.trackedCount()).isPositive();
    }

    @Test
    void aStoreOfVersionOneRecordsIsReadAndRewrittenAsItsAccountsChange() {
        int cut = BLOCKS / 2;
        blocks.subList(0, cut).forEach(inProcess::process);
        // the former layout, as an earlier engine left it
        for (Account a : inProcess.accounts()) {
            accounts().put(Bytes.wrap(StateCodec.accountKey(a.address())), StateCodec.encodeAccount(a));
        }
        KeyValueStore<Bytes, byte[]> seeds = stores.get(1);
        inProcess.seeds().values().forEach(s -> seeds.put(Bytes.wrap(s.seed().address().toBytes()), StateCodec.encodeSeed(s)));
        KeyValueStore<Bytes, byte[]> labels = stores.get(2);
        for (Entity e : config.initialLabels()) {
            labels.put(Bytes.wrap(e.address().toBytes()), Json.entityBytes(e));
        }
        KeyValueStore<Bytes, byte[]> meta = stores.get(3);
        meta.put(Bytes.wrap("meta".getBytes(StandardCharsets.UTF_8)), StateCodec.encodePosition(inProcess));
        inProcess.ledgers().forEach((s, byAsset) ->
            meta.put(Bytes.wrap(("ledger/" + s).getBytes(StandardCharsets.UTF_8)), StateCodec.encodeLedgers(s, byAsset)));
        int v1 = stored().size();
        assertThat(v1).isEqualTo(inProcess.trackedCount()).isPositive();

        restart();
        List<List<TaintFlow>> out = feed(cut, cut + 20);
        assertThat(out.get(1)).isEqualTo(out.get(0));
        TreeMap<String, String> stored = stored();
        assertThat(stored).isEqualTo(expectedStore(stored));
        assertThat(stored.values()).as("some accounts were rewritten, holdings in records of their own").anyMatch(v -> v.startsWith("02"));

        // restarted on the mixed store: every account comes back whole
        restart();
        out = feed(cut + 20, BLOCKS);
        assertThat(out.get(1)).isEqualTo(out.get(0));
        stored = stored();
        assertThat(stored).isEqualTo(expectedStore(stored));
    }

    @Test
    void aBlockIngestPublishedMomentsAgoIsCommittedAtOnceWhenItHasFlowsAndAnOlderOneWaitsForTheInterval() {
        restart();
        int[] seen = new int[3]; // published now with flows, published now without, older or without ingest time with flows
        for (int i = 0; i < BLOCKS; i++) {
            Block b = blocks.get(i);
            int kind = i % 3; // 0: published now, 1: a minute ago, 2: no ingest time
            org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
            if (kind < 2) {
                long at = System.currentTimeMillis() - (kind == 0 ? 0 : 60_000);
                headers.add(io.taintwatch.encoding.RecordHeaders.INGEST_TIMESTAMP, Long.toString(at).getBytes(StandardCharsets.US_ASCII));
            }
            context.resetCommit();
            context.setRecordMetadata(config.blocksTopic(), 0, offset++);
            processor.process(new Record<>("777", BlockCodec.scan(BlockCodec.encode(b)), b.timestamp() * 1000, headers));
            boolean flows = !context.forwarded().isEmpty();
            context.resetForwards();
            assertThat(context.committed()).as("commit requested after block %d (%s, %s)", b.number(),
                kind == 0 ? "published now" : kind == 1 ? "published a minute ago" : "no ingest time", flows ? "flows" : "no flows")
                .isEqualTo(kind == 0 && flows);
            if (kind == 0 || flows) {
                seen[kind == 0 ? (flows ? 0 : 1) : 2]++;
            }
        }
        assertThat(seen[0]).as("live blocks with flows").isPositive();
        assertThat(seen[1]).as("live blocks without flows").isPositive();
        assertThat(seen[2]).as("older blocks or blocks without ingest time, with flows").isPositive();
    }
}
