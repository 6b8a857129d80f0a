package io.taintwatch.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.StoredAccounts;
import io.taintwatch.taint.TaintEngine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The taint engine's meters; names and descriptions are constants here, units in the names. */
final class TaintMetrics implements AutoCloseable {
    static final String BLOCKS = "taintwatch.taint.blocks";
    static final String BLOCKS_DESC = "Blocks processed by the taint engine";
    static final String SKIPPED = "taintwatch.taint.blocks.skipped";
    static final String SKIPPED_DESC = "Blocks skipped as duplicates (at or below the last processed block)";
    static final String MISSING = "taintwatch.taint.blocks.missing";
    static final String MISSING_DESC = "Blocks missing between consecutive processed blocks (dead-lettered or never published)";
    static final String PASSED_OVER = "taintwatch.taint.blocks.passed.over";
    static final String PASSED_OVER_DESC = "Blocks processed without building their legs (no leg touched a tracked address or source)";
    static final String LEGS = "taintwatch.taint.legs";
    static final String LEGS_DESC = "Legs processed by the taint engine";
    static final String FLOWS = "taintwatch.taint.flows";
    static final String FLOWS_DESC = "Taint flows emitted, by kind";
    static final String LEGS_SKIPPED = "taintwatch.taint.legs.skipped";
    static final String LEGS_SKIPPED_DESC = "Legs that would have carried taint and did not (flows of kind skipped), by reason: counterfeit, "
        + "unverified (taint.assets=verified) or unbacked";
    static final String CUT = "taintwatch.taint.cut";
    static final String CUT_DESC = "Tainted carries not propagated, by reason: dust (under the absolute or share threshold) or hops (past the limit)";
    static final String TRACKED = "taintwatch.taint.tracked.addresses";
    static final String TRACKED_DESC = "Addresses the engine currently tracks (holding taint)";
    static final String INDEX_BYTES = "taintwatch.taint.state.index.bytes";
    static final String INDEX_BYTES_DESC = "Heap bytes of the engine's index of tracked addresses and sources";
    static final String CACHE_BYTES = "taintwatch.taint.state.account.cache.bytes";
    static final String CACHE_BYTES_DESC = "Estimated heap bytes of the accounts cached between blocks (bound: taint.state.account-cache-bytes)";
    static final String ACCOUNT_READS = "taintwatch.taint.state.account.reads";
    static final String ACCOUNT_READS_DESC = "Accounts read from the taint-accounts store because the cache did not hold them";
    static final String SEEDS = "taintwatch.taint.seeds";
    static final String SEEDS_DESC = "Watchlist seeds known to the engine";
    static final String REFERENCE = "taintwatch.taint.reference.records";
    static final String REFERENCE_DESC = "Reference records the engine has read, by kind: seed (watchlist), label, token (declared) and "
        + "token-metadata; those of another kind of chain included";
    static final String LAST_BLOCK = "taintwatch.taint.last.block";
    static final String LAST_BLOCK_DESC = "Number of the last block processed";
    static final String LAST_BLOCK_TIME = "taintwatch.taint.last.block.timestamp.seconds";
    static final String LAST_BLOCK_TIME_DESC = "Timestamp of the last block processed (lag = time() - this)";

    private final List<Meter> meters = new ArrayList<>();
    private final MeterRegistry registry;
    private final Counter blocks;
    private final Counter skipped;
    private final Counter missing;
    private final Counter passedOver;
    private final Counter legs;
    private final Map<FlowKind, Counter> flows = new EnumMap<>(FlowKind.class);
    private final Map<SkipReason, Counter> legsSkipped = new EnumMap<>(SkipReason.class);
    private final Map<String, Counter> reference = new java.util.HashMap<>();
    private final Counter dustCut;
    private final Counter hopCut;
    private final TaintEngine engine;
    private long dustSeen;
    private long hopsSeen;
    private final AtomicLong lastBlock = new AtomicLong(-1);
    private final AtomicLong lastBlockTime = new AtomicLong();

    TaintMetrics(MeterRegistry registry, io.taintwatch.model.ChainId chain, TaintEngine engine, StoredAccounts accounts, SectionTimes times) {
        this.registry = registry;
        this.engine = engine;
        Tags tags = Tags.of("chain", chain.name());
        blocks = add(Counter.builder(BLOCKS).description(BLOCKS_DESC).tags(tags).register(registry));
        skipped = add(Counter.builder(SKIPPED).description(SKIPPED_DESC).tags(tags).register(registry));
        missing = add(Counter.builder(MISSING).description(MISSING_DESC).tags(tags).register(registry));
        passedOver = add(Counter.builder(PASSED_OVER).description(PASSED_OVER_DESC).tags(tags).register(registry));
        legs = add(Counter.builder(LEGS).description(LEGS_DESC).tags(tags).register(registry));
        for (FlowKind k : FlowKind.values()) {
            flows.put(k, add(Counter.builder(FLOWS).description(FLOWS_DESC).tags(tags.and("kind", k.label())).register(registry)));
        }
        for (SkipReason r : SkipReason.values()) {
            legsSkipped.put(r, add(Counter.builder(LEGS_SKIPPED).description(LEGS_SKIPPED_DESC).tags(tags.and("reason", r.label()))
                .register(registry)));
        }
        dustCut = add(Counter.builder(CUT).description(CUT_DESC).tags(tags.and("reason", "dust")).register(registry));
        hopCut = add(Counter.builder(CUT).description(CUT_DESC).tags(tags.and("reason", "hops")).register(registry));
        dustSeen = engine.dustCuts();
        hopsSeen = engine.hopCuts();
        add(Gauge.builder(TRACKED, engine, TaintEngine::trackedCount).description(TRACKED_DESC).tags(tags).register(registry));
        add(Gauge.builder(INDEX_BYTES, engine, TaintEngine::indexBytes).description(INDEX_BYTES_DESC).baseUnit("bytes").tags(tags)
            .register(registry));
        add(Gauge.builder(CACHE_BYTES, accounts, StoredAccounts::cachedBytes).description(CACHE_BYTES_DESC).baseUnit("bytes").tags(tags)
            .register(registry));
        add(FunctionCounter.builder(ACCOUNT_READS, accounts, StoredAccounts::reads).description(ACCOUNT_READS_DESC).tags(tags)
            .register(registry));
        for (String kind : List.of("seed", "label", "token", "token-metadata")) {
            reference.put(kind, add(Counter.builder(REFERENCE).description(REFERENCE_DESC).tags(tags.and("kind", kind)).register(registry)));
        }
        add(Gauge.builder(SEEDS, engine, e -> e.seeds().size()).description(SEEDS_DESC).tags(tags).register(registry));
        add(Gauge.builder(LAST_BLOCK, lastBlock, AtomicLong::get).description(LAST_BLOCK_DESC).tags(tags).register(registry));
        add(Gauge.builder(LAST_BLOCK_TIME, lastBlockTime, AtomicLong::get).description(LAST_BLOCK_TIME_DESC).tags(tags)
            .register(registry));
        lastBlock.set(engine.lastBlock());
        meters.addAll(times.register(registry, tags));
    }

    private <M extends Meter> M add(M m) {
        meters.add(m);
        return m;
    }

    void block(EncodedBlock b, TaintEngine.BlockResult r, boolean wasPassedOver) {
        blocks.increment();
        if (wasPassedOver) {
            passedOver.increment();
        }
        legs.increment(b.legCount());
        for (TaintFlow f : r.flows()) {
            flows.get(f.kind()).increment();
            if (f.skipped() != null) {
                legsSkipped.get(f.skipped()).increment();
            }
        }
        dustCut.increment(engine.dustCuts() - dustSeen);
        hopCut.increment(engine.hopCuts() - hopsSeen);
        dustSeen = engine.dustCuts();
        hopsSeen = engine.hopCuts();
        lastBlock.set(b.number());
        lastBlockTime.set(b.timestamp());
    }

    /** A reference record of {@code kind} (seed, label, token or token-metadata) was read. */
    void reference(String kind) {
        reference.get(kind).increment();
    }

    void missingBlocks(long n) {
        missing.increment(n);
    }

    void skippedBlock() {
        skipped.increment();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
