package io.taintwatch.app.replay;

import io.taintwatch.model.Alert;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.tokens.TokenRegistry;
import java.util.List;

/**
 * What a replay produced: every taint flow in chain order, the final version of each alert (sorted by id), counts, and
 * the engine's token registry at the end (symbols, decimals and verdicts for the outputs). {@code firstBlock}/{@code
 * lastBlock} are -1 when no block was processed.
 */
public record ReplayResult(ReplaySettings settings, List<TaintFlow> flows, List<Alert> alerts, long blocks, long legs,
                           long duplicateBlocks, long firstBlock, long lastBlock, int trackedAddresses, TokenRegistry tokens) {
}
