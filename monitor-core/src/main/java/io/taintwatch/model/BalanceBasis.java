package io.taintwatch.model;

/** How the opening balance of a newly tracked address was set (docs/architecture.md, "Opening balance"). */
public enum BalanceBasis {
    /** From the block's end-of-block balance minus the address's net legs at or after the tracking position. */
    END_OF_BLOCK,
    /** No balance known: opened at 0, so the taint share can only be over-estimated. */
    ZERO,
    /** The sender is a source itself: its outflows are wholly tainted, no balance is needed. */
    SOURCE;

    public String label() {
        return switch (this) {
            case END_OF_BLOCK -> "end-of-block-balance";
            case ZERO -> "zero";
            case SOURCE -> "source";
        };
    }

    public static BalanceBasis fromLabel(String s) {
        for (BalanceBasis b : values()) {
            if (b.label().equals(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown balance basis '" + s + "'");
    }
}
