package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.AlertAggregator;
import io.taintwatch.alerts.rules.Candidate;
import io.taintwatch.alerts.rules.CounterpartyMemory;
import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.alerts.rules.RuleEngine;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.alerts.rules.SortedBytes;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Block;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert service's work in process, block by block: the rules the Kafka Streams topology runs ({@link RuleEngine} on
 * each flow, then on the block) and the same aggregation by group key ({@link AlertAggregator}), over
 * {@link MemoryLookups} (the seeds and labels given, the addresses the flows made tracked) and a counterparty memory in
 * memory. Replays and retro-screenings use it, so their alerts are the live service's for the same input. Its alerts are
 * each group's final state: the last published version with the skipped legs noted after it (docs/alert-schema.md).
 */
public final class InProcessAlerts {
    /** Decides which candidates are kept (a retro-screening keeps those about its new seeds). */
    @FunctionalInterface
    public interface CandidateFilter {
        /** Every candidate is kept. */
        CandidateFilter ALL = (c, l) -> true;

        /** {@code lookups} are the seeds, labels and tracked addresses as of the candidate's leg. */
        boolean keep(Candidate candidate, Lookups lookups);
    }

    private final MemoryLookups lookups;
    private final RuleEngine rules;
    private final AlertAggregator aggregator;
    private final CandidateFilter filter;
    private final Map<String, Alert> byGroup = new HashMap<>();
    private final TreeMap<String, Alert> byId = new TreeMap<>();

    public InProcessAlerts(RulesConfig rules, MemoryLookups lookups, CandidateFilter filter) {
        this.lookups = lookups;
        this.rules = new RuleEngine(rules, lookups, new CounterpartyMemory(SortedBytes.inMemory(), rules.lookalike()));
        this.aggregator = new AlertAggregator(rules.quietBlocks());
        this.filter = filter;
    }

    /** One processed block and the flows the engine emitted for it, in order; returns the alert versions it made. */
    public List<Alert> accept(Block block, List<TaintFlow> flows) {
        List<Candidate> candidates = new ArrayList<>();
        for (TaintFlow f : flows) {
            if (f.kind() == FlowKind.TRACKED) {
                lookups.track(f.to(), f.shares().stream().map(SourceShare::sourceId).toList());
            }
            candidates.addAll(rules.onFlow(f));
        }
        // live, the block rules run beside the flow rules; here after them, in one fixed order
        candidates.addAll(rules.onBlock(block));
        List<Alert> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!filter.keep(c, lookups)) {
                continue;
            }
            Alert previous = byGroup.get(c.groupKey());
            Alert next = aggregator.merge(previous, c.alert());
            if (next == null) {
                continue;
            }
            byGroup.put(c.groupKey(), next);
            if (!next.note()) {
                byId.put(next.id(), next);
            }
            if (AlertAggregator.published(previous, next)) {
                out.add(next);
            }
        }
        return out;
    }

    /** The final state of every alert, by id. */
    public List<Alert> alerts() {
        return List.copyOf(byId.values());
    }
}
