package io.taintwatch.model;

/** What happened to the taint carried by a leg. */
public enum FlowKind {
    /** The recipient is (now) tracked and holds the taint. */
    TRACKED,
    /** The recipient is a terminal entity (exchange, mixer, bridge): taint delivered, path attached. */
    TERMINAL,
    /** Sent into a DEX pool or router inside a swap: the taint comes back with what the swap returns. */
    DEX_IN,
    /** Returned by a DEX to a tracked address in the same transaction, carrying the share it sent in. */
    DEX_OUT,
    /**
     * Not followed ({@link TaintFlow#skipped()} says why): the shares are what the leg would have carried; nothing was
     * propagated, the amounts are counted in the sources' ledgers.
     */
    SKIPPED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static FlowKind fromLabel(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
