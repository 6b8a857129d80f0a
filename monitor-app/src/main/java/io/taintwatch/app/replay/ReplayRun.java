package io.taintwatch.app.replay;

import io.taintwatch.alerts.InProcessAlerts;
import io.taintwatch.alerts.MemoryLookups;
import io.taintwatch.model.Block;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One replay in process: the live taint engine and the alert service's rules and aggregation ({@link InProcessAlerts}),
 * fed blocks in chain order, with state only in memory. It never sees a Kafka store or topic of the live pipeline, so it
 * cannot change one; what it produces is kept for the exporters.
 */
public final class ReplayRun implements Consumer<Block> {
    private final ReplaySettings settings;
    private final TaintEngine engine;
    private final InProcessAlerts alerts;
    private final List<TaintFlow> flows = new ArrayList<>();
    private long blocks;
    private long legs;
    private long skipped;
    private long firstBlock = -1;
    private long lastBlock = -1;

    public ReplayRun(ReplaySettings settings) {
        this(settings, InProcessAlerts.CandidateFilter.ALL);
    }

    public ReplayRun(ReplaySettings settings, InProcessAlerts.CandidateFilter filter) {
        this.settings = settings;
        this.engine = new TaintEngine(settings.chain(), settings.taint(), settings.nativeAsset());
        for (Entity e : settings.labels()) {
            engine.putLabel(e);
        }
        for (Seed s : settings.seeds()) {
            engine.putSeed(s);
        }
        for (Token t : settings.observedTokens()) {
            engine.tokens().observe(t);
        }
        this.alerts = new InProcessAlerts(settings.rules(), new MemoryLookups(settings.seeds(), settings.labels(), engine.tokens()), filter);
    }

    /** The engine's token registry (for amounts in the outputs). */
    public TokenRegistry tokens() {
        return engine.tokens();
    }

    /** Processes the next block (a block at or below the last one is a duplicate and is skipped, as live). */
    @Override
    public void accept(Block b) {
        TaintEngine.BlockResult r = engine.process(b);
        if (r.skipped()) {
            skipped++;
            return;
        }
        blocks++;
        legs += b.legs().size();
        if (firstBlock < 0) {
            firstBlock = b.number();
        }
        lastBlock = b.number();
        flows.addAll(r.flows());
        alerts.accept(b, r.flows());
    }

    /** Tracked addresses that hold a positive taint of any of {@code sources} after the last block processed. */
    public long holders(java.util.Set<String> sources) {
        long n = 0;
        for (io.taintwatch.taint.Account a : engine.accounts()) {
            boolean holds = a.holdings().values().stream().anyMatch(h -> sources.stream().anyMatch(s -> h.taintOf(s).signum() > 0));
            if (holds) {
                n++;
            }
        }
        return n;
    }

    public ReplayResult result() {
        return new ReplayResult(settings, List.copyOf(flows), alerts.alerts(), blocks, legs, skipped, firstBlock, lastBlock,
            engine.trackedCount(), engine.tokens());
    }
}
