package io.taintwatch.model;

/** How the opening balance of a newly tracked address was set (DESIGN.md, "Opening balance"). */
public enum BalanceBasis {
    /** From the block's end-of-block balance minus the address's net legs at or after the tracking position. */
    END_OF_BLOCK,
    /** No balance known: opened at 0, so the taint share can only be over-estimated. */
    ZERO;

    public String label() {
        return this == END_OF_BLOCK ? "end-of-block-balance" : "zero";
    }
}
