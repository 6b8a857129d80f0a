package io.taintwatch.ingest.evm;

import io.taintwatch.model.LegKind;
import java.util.EnumMap;
import java.util.Map;

/** Counters of one extraction run (one block or one file import): legs by kind and what was skipped and why. */
public final class ExtractionStats {
    private final EnumMap<LegKind, Long> legs = new EnumMap<>(LegKind.class);
    private long malformedLogs;
    private long unknownStatusTxs;
    private long skippedTraceFrames;
    private long incompleteTraceFrames;

    public void leg(LegKind kind) {
        legs.merge(kind, 1L, Long::sum);
    }

    public void malformedLog() {
        malformedLogs++;
    }

    public void unknownStatusTx() {
        unknownStatusTxs++;
    }

    public void skippedTraceFrame() {
        skippedTraceFrames++;
    }

    public void incompleteTraceFrame() {
        incompleteTraceFrames++;
    }

    /** Value-moving trace frames the tracer reported without from/to/value (old geth SELFDESTRUCT). */
    public long incompleteTraceFrames() {
        return incompleteTraceFrames;
    }

    public long legs(LegKind kind) {
        return legs.getOrDefault(kind, 0L);
    }

    public long totalLegs() {
        return legs.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<LegKind, Long> legsByKind() {
        return Map.copyOf(legs);
    }

    public long malformedLogs() {
        return malformedLogs;
    }

    /** Transactions whose success could not be established (no receipt status); their value legs were kept. */
    public long unknownStatusTxs() {
        return unknownStatusTxs;
    }

    /** Trace entries that are not value transfers between accounts (block and uncle rewards). */
    public long skippedTraceFrames() {
        return skippedTraceFrames;
    }

    public void add(ExtractionStats o) {
        o.legs.forEach((k, v) -> legs.merge(k, v, Long::sum));
        malformedLogs += o.malformedLogs;
        unknownStatusTxs += o.unknownStatusTxs;
        skippedTraceFrames += o.skippedTraceFrames;
        incompleteTraceFrames += o.incompleteTraceFrames;
    }

    @Override
    public String toString() {
        return "legs=" + legs + " malformedLogs=" + malformedLogs + " unknownStatusTxs=" + unknownStatusTxs
            + " skippedTraceFrames=" + skippedTraceFrames + " incompleteTraceFrames=" + incompleteTraceFrames;
    }
}
