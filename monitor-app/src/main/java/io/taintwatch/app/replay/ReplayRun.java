package io.taintwatch.app.replay;

import io.taintwatch.alerts.rules.AlertAggregator;
import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One replay in process: the live taint engine and the live alert rules and aggregator, fed blocks in chain
 * order, with state only in memory. It never sees a Kafka store or topic of the live pipeline, so it cannot
 * change one; what it produces is kept for the exporters.
 */
public final class ReplayRun implements Consumer<Block> {
    /** Decides which alert candidates a replay keeps (a retro-screening keeps those about its new seeds). */
    @FunctionalInterface
    public interface CandidateFilter {
        /** Every candidate is kept. */
        CandidateFilter ALL = (c, l) -> true;

        /** {@code lookups} are the replay's seeds, labels and tracked addresses as of the candidate's leg. */
        boolean keep(Candidate candidate, Lookups lookups);
    }

    private final ReplaySettings settings;
    private final TaintEngine engine;
    private final ReplayLookups lookups;
    private final RuleEngine rules;
    private final AlertAggregator aggregator;
    private final CandidateFilter filter;
    private final List<TaintFlow> flows = new ArrayList<>();
    private final Map<String, Alert> byGroup = new HashMap<>();
    private final TreeMap<String, Alert> byId = new TreeMap<>();
    private long blocks;
    private long legs;
    private long skipped;
    private long firstBlock = -1;
    private long lastBlock = -1;

    public ReplayRun(ReplaySettings settings) {
        this(settings, CandidateFilter.ALL);
    }

    public ReplayRun(ReplaySettings settings, CandidateFilter filter) {
        this.settings = settings;
        this.filter = filter;
        this.engine = new TaintEngine(settings.chain(), settings.taint());
        for (Entity e : settings.labels()) {
            engine.putLabel(e);
        }
        for (Seed s : settings.seeds()) {
            engine.putSeed(s);
        }
        this.lookups = new ReplayLookups(settings.seeds(), settings.labels(), settings.nativeSymbol(), settings.nativeDecimals());
        RulesConfig rc = settings.rules();
        this.rules = new RuleEngine(rc, lookups);
        this.aggregator = new AlertAggregator(rc.quietBlocks());
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
        List<Candidate> candidates = new ArrayList<>();
        for (TaintFlow f : r.flows()) {
            flows.add(f);
            if (f.kind() == FlowKind.TRACKED) {
                lookups.track(f.to(), f.shares().stream().map(SourceShare::sourceId).toList());
            }
            candidates.addAll(rules.onFlow(f));
        }
        // live, the block rules run beside the flow rules; here after them, in one fixed order
        candidates.addAll(rules.onBlock(b));
        for (Candidate c : candidates) {
            if (!filter.keep(c, lookups)) {
                continue;
            }
            Alert next = aggregator.merge(byGroup.get(c.groupKey()), c.alert());
            if (next != null) {
                byGroup.put(c.groupKey(), next);
                byId.put(next.id(), next);
            }
        }
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
        return new ReplayResult(settings, List.copyOf(flows), List.copyOf(byId.values()), blocks, legs, skipped, firstBlock,
            lastBlock, engine.trackedCount());
    }
}
