package io.taintwatch.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.taintwatch.encoding.AddressKeys;
import io.taintwatch.encoding.Json;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainKind;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.exposure.EngineProgress;
import io.taintwatch.exposure.ReceivedTaint;
import io.taintwatch.encoding.RecordHeaders;
import io.taintwatch.model.BlockLegs;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.StateCodec;
import io.taintwatch.taint.StoredAccounts;
import io.taintwatch.taint.StoredLedgers;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Feeds blocks, seeds and labels of one chain to its {@link TaintEngine} in the order the task reads
 * them, persists what changed after each record, and forwards flows keyed by recipient. The engine's accounts and
 * ledgers stay in the stores ({@link StoredAccounts}, {@link StoredLedgers}) and are read when a block touches them; on
 * start the engine's index of tracked addresses is rebuilt from the account store's keys, so a restart continues
 * exactly where the last committed transaction ended without reading the accounts.
 */
final class TaintProcessor implements Processor<String, Object, String, TaintFlow> {
    private static final Logger LOG = LoggerFactory.getLogger(TaintProcessor.class);
    private static final Bytes META_KEY = Bytes.wrap("meta".getBytes(StandardCharsets.UTF_8));
    private static final Bytes NATIVE_TOKEN_KEY = Bytes.wrap(StateCodec.NATIVE_TOKEN_KEY);
    private static final byte[] BLOCK_END_VALUE = {'1'};

    private final TaintTopologyConfig config;
    private final MeterRegistry registry;
    private final SectionTimes times;
    private ProcessorContext<String, TaintFlow> context;
    private KeyValueStore<Bytes, byte[]> accounts;
    private KeyValueStore<Bytes, byte[]> seeds;
    private KeyValueStore<Bytes, byte[]> labels;
    private KeyValueStore<Bytes, byte[]> meta;
    private KeyValueStore<Bytes, byte[]> tokens;
    private KeyValueStore<Bytes, byte[]> received;
    private final EngineProgress progress;
    private TaintEngine engine;
    private StoredAccounts storedAccounts;
    private StoredLedgers storedLedgers;
    private BlockLegs.AddressSet affects;
    private TaintMetrics metrics;

    /** A processor whose writes no query in this process follows. */
    TaintProcessor(TaintTopologyConfig config, MeterRegistry registry, SectionTimes times) {
        this(config, registry, times, new EngineProgress());
    }

    TaintProcessor(TaintTopologyConfig config, MeterRegistry registry, SectionTimes times, EngineProgress progress) {
        this.config = config;
        this.progress = progress;
        this.registry = registry;
        this.times = times;
    }

    @Override
    public void init(ProcessorContext<String, TaintFlow> context) {
        this.context = context;
        this.accounts = context.getStateStore(TaintTopology.storeName(config.chain(), TaintTopology.ACCOUNTS_STORE));
        this.seeds = context.getStateStore(TaintTopology.storeName(config.chain(), TaintTopology.SEEDS_STORE));
        this.labels = context.getStateStore(TaintTopology.storeName(config.chain(), TaintTopology.LABELS_STORE));
        this.meta = context.getStateStore(TaintTopology.storeName(config.chain(), TaintTopology.META_STORE));
        this.tokens = config.readsTokens() ? context.getStateStore(TaintTopology.storeName(config.chain(), TaintTopology.TOKENS_STORE)) : null;
        this.received = context.getStateStore(TaintTopology.storeName(config.chain(), TaintTopology.RECEIVED_STORE));
        progress.endBlock();
        progress.referenceChanged();
        this.storedAccounts = new StoredAccounts(new StoreKeyValues(accounts), config.stateCaches().accountBytes());
        this.storedLedgers = new StoredLedgers(new StoreKeyValues(meta), config.stateCaches().ledgerBytes());
        this.engine = new TaintEngine(config.chain(), config.taint(), config.nativeAsset(), storedAccounts, storedLedgers);
        this.affects = engine::mayBeAffectedBy;
        long t0 = System.nanoTime();
        byte[] m = meta.get(META_KEY);
        if (m == null) {
            // a new engine: it starts from the configured seeds, labels and tokens, stored as they are applied
            applyInitial();
        } else {
            List<String> inline = StateCodec.restorePosition(m, engine);
            if (!inline.isEmpty()) {
                // a version-1 position record carried every ledger: they become records of their own, read on demand
                storedLedgers.persist();
                meta.put(META_KEY, StateCodec.encodePosition(engine));
            }
            storedAccounts.restore(engine);
            restoreReferenceData();
        }
        this.metrics = new TaintMetrics(registry, config.chain(), engine, storedAccounts, times);
        times.restart();
        LOG.info("taint engine for {} restored in {} ms: last block {}, {} tracked addresses (an index of {} KiB), {} seeds, {} labels",
            config.chain().name(), (System.nanoTime() - t0) / 1_000_000, engine.lastBlock(), engine.trackedCount(), engine.indexBytes() >> 10,
            engine.seeds().size(), engine.labelCount());
    }

    /** Seeds, labels and tokens from their stores: the engine's reference data, all of it on the heap. */
    private void restoreReferenceData() {
        try (KeyValueIterator<Bytes, byte[]> it = seeds.all()) {
            while (it.hasNext()) {
                engine.restoreSeed(StateCodec.decodeSeed(it.next().value));
            }
        }
        try (KeyValueIterator<Bytes, byte[]> it = labels.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                engine.putLabel(Json.parseEntity(kv.value));
            }
        }
        if (tokens != null) {
            try (KeyValueIterator<Bytes, byte[]> it = tokens.all()) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    StateCodec.restoreToken(engine.tokens(), kv.key.get(), kv.value);
                }
            }
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        // reference records come through the chain's repartition topic, named by the topic they were read from
        String reference = TaintTopology.referenceTopic(record.headers());
        String topic = reference != null ? reference : context.recordMetadata().map(RecordMetadata::topic).orElse("");
        Object value = record.value();
        if (value instanceof EncodedBlock block) {
            processBlock(block, record.headers());
        } else if (topic.equals(config.watchlistTopic())) {
            applySeed(record.key(), (Seed) value);
            metrics.reference("seed");
        } else if (topic.equals(config.labelsTopic())) {
            applyLabel(record.key(), (Entity) value);
            metrics.reference("label");
        } else if (topic.equals(config.tokensTopic())) {
            applyDeclaredToken(record.key(), (Token) value);
            metrics.reference("token");
        } else if (topic.equals(config.observedTokensTopic()) && value != null) {
            applyObservedToken(value);
            metrics.reference("token-metadata");
        } else if (value == null && topic.equals(config.blocksTopic())) {
            LOG.warn("ignoring a null value on {} (blocks are never deleted)", topic);
        }
    }

    private void processBlock(EncodedBlock block, Headers in) {
        long t = times.enterBlock();
        MDC.put("chain", config.chain().name());
        MDC.put("block", Long.toString(block.number()));
        try {
            long last = engine.lastBlock();
            // most blocks touch no tracked address or source: probe the record's addresses and pass over those; in the
            // others the engine builds only the legs that touch one; a duplicate delivery (at or below the last block) is
            // skipped without building anything
            boolean passOver = block.number() <= last || !block.anyLegTouches(affects);
            t = times.lap(SectionTimes.Section.PROBE, t);
            TaintEngine.BlockResult r = passOver ? engine.passOver(block.chain(), block.number(), block.hash(), block.parentHash())
                : engine.process(block);
            t = times.lap(SectionTimes.Section.ENGINE, t);
            if (r.skipped()) {
                metrics.skippedBlock();
                return;
            }
            if (last >= 0 && block.number() > last + 1) {
                // the parent check only links consecutive blocks: a dead-lettered block leaves a gap, said loudly here
                LOG.error("blocks {} to {} of {} are missing (dead-lettered or never published): taint through them is not followed;"
                    + " fix the source and replay", last + 1, block.number() - 1, config.chain().name());
                metrics.missingBlocks(block.number() - 1 - last);
            }
            // queries read an address's records between blocks that write them; a block that writes none (most are
            // passed over) moves only the position, which leaves every address's records as they were
            boolean writes = !r.accounts().isEmpty() || !r.flows().isEmpty();
            if (writes) {
                progress.beginBlock();
            }
            try {
                storedAccounts.persist(r.accounts());
                t = times.lap(SectionTimes.Section.PERSIST, t);
                for (TaintFlow f : r.flows()) {
                    if (ReceivedTaint.received(f)) {
                        Bytes to = key(f.to());
                        received.put(to, ReceivedTaint.add(received.get(to), f));
                    }
                }
                meta.put(META_KEY, StateCodec.encodePosition(engine));
                storedLedgers.persist();
            } finally {
                if (writes) {
                    progress.endBlock();
                }
            }
            t = times.lap(SectionTimes.Section.STATE, t);
            long ts = block.timestamp() * 1000;
            Header ingested = in == null ? null : in.lastHeader(RecordHeaders.INGEST_TIMESTAMP);
            List<TaintFlow> flows = r.flows();
            for (int i = 0; i < flows.size(); i++) {
                TaintFlow f = flows.get(i);
                org.apache.kafka.common.header.internals.RecordHeaders out = new org.apache.kafka.common.header.internals.RecordHeaders();
                if (ingested != null) {
                    out.add(RecordHeaders.INGEST_TIMESTAMP, ingested.value());
                }
                if (i == flows.size() - 1) {
                    out.add(RecordHeaders.BLOCK_END, BLOCK_END_VALUE);
                }
                context.forward(new Record<>(f.to().toString(), f, ts, out));
            }
            if (!flows.isEmpty()) {
                LiveCommits.requestIfLive(context, in);
            }
            t = times.lap(SectionTimes.Section.FLOWS, t);
            metrics.block(block, r, passOver);
        } finally {
            MDC.remove("chain");
            MDC.remove("block");
            times.exitBlock(t);
        }
    }

    /**
     * A key that is not an address, names another one than the seed or is written for another kind of chain than the seed, is
     * refused before anything changes. The watchlist serves every chain: a seed of another kind of chain (an EVM seed on a
     * Tron chain's engine) is not this engine's.
     */
    private void applySeed(String key, Seed seed) {
        Address address = AddressKeys.matching(key, seed == null ? null : seed.address(), seed == null ? null : seed.kind());
        if (ChainKind.ofText(key.strip()) != config.chain().kind()) {
            return;
        }
        if (seed == null) {
            if (engine.removeSeed(address)) {
                seeds.delete(key(address));
                progress.referenceChanged();
                LOG.info("seed removed: {} (takes effect from block {})", config.chain().format(address), engine.lastBlock() + 1);
            }
            return;
        }
        TaintEngine.ActiveSeed a = engine.putSeed(seed);
        seeds.put(key(address), StateCodec.encodeSeed(a));
        progress.referenceChanged();
        LOG.info("seed {} for {} ({}) in effect from block {}", seed.sourceId(), config.chain().format(address), seed.category().label(), a.effectiveFrom());
    }

    private void applyLabel(String key, Entity entity) {
        Address address = AddressKeys.matching(key, entity == null ? null : entity.address(), entity == null ? null : entity.kind());
        if (ChainKind.ofText(key.strip()) != config.chain().kind()) {
            return;
        }
        if (entity == null) {
            engine.removeLabel(address);
            labels.delete(key(address));
            return;
        }
        engine.putLabel(entity);
        labels.put(key(entity.address()), Json.entityBytes(entity));
    }

    /**
     * A declared token (a token list's or the user's) of this chain, or a tombstone ({@code <chain>:<address>} key, null
     * value) removing one; other chains' records are not this engine's.
     */
    private void applyDeclaredToken(String key, Token t) {
        if (t != null) {
            if (t.chain().equals(config.chain())) {
                engine.tokens().declare(t);
                tokens.put(tokenKey('d', t), TokenJson.bytes(t));
                progress.tokensChanged();
            }
            return;
        }
        int colon = key == null ? -1 : key.indexOf(':');
        Address address;
        try {
            address = colon < 0 ? null : Address.parse(key.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            address = null;
        }
        if (address == null) {
            LOG.error("ignoring a tombstone on {} with key '{}': the key must be <chain>:<address>", config.tokensTopic(), key);
            return;
        }
        if (key.substring(0, colon).equals(config.chain().name()) && engine.tokens().undeclare(address)) {
            tokens.put(tokenKey('d', address), null);
            progress.tokensChanged();
        }
    }

    /** Token metadata ingest read: a contract's (a {@link Token}) or the native asset's; metadata is never deleted. */
    private void applyObservedToken(Object value) {
        if (value instanceof Token t && t.chain().equals(config.chain())) {
            engine.tokens().observe(t);
            tokens.put(tokenKey('o', t), TokenJson.bytes(t));
            progress.tokensChanged();
        } else if (value instanceof TokenJson.NativeMetadata n && n.chain().equals(config.chain())) {
            engine.tokens().setNative(n.symbol(), n.name(), n.decimals());
            tokens.put(NATIVE_TOKEN_KEY, TokenJson.nativeBytes(n));
            progress.tokensChanged();
        }
    }

    private static Bytes tokenKey(char kind, Token t) {
        return tokenKey(kind, t.address());
    }

    private static Bytes tokenKey(char kind, Address a) {
        byte[] k = new byte[21];
        k[0] = (byte) kind;
        a.writeTo(k, 1);
        return Bytes.wrap(k);
    }

    /** A new engine (nothing processed, nothing restored) starts from the configured seeds, labels and tokens. */
    private void applyInitial() {
        for (Seed seed : config.initialSeeds()) {
            if (!seed.appliesTo(config.chain())) {
                continue;
            }
            seeds.put(key(seed.address()), StateCodec.encodeSeed(engine.putSeed(seed)));
        }
        for (Entity e : config.initialLabels()) {
            if (!e.appliesTo(config.chain())) {
                continue;
            }
            engine.putLabel(e);
            labels.put(key(e.address()), Json.entityBytes(e));
        }
        for (Token t : config.initialTokens()) {
            applyDeclaredToken(t.key(), t);
        }
        for (Token t : config.initialObservedTokens()) {
            applyObservedToken(t);
        }
        meta.put(META_KEY, StateCodec.encodePosition(engine));
    }

    private static Bytes key(Address a) {
        return Bytes.wrap(a.toBytes());
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
