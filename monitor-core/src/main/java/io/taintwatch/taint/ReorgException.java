package io.taintwatch.taint;

import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;

/** A block whose parent is not the last processed block: a reorg deeper than the confirmation depth. */
public final class ReorgException extends IllegalStateException {
    public ReorgException(ChainId chain, long block, Hash32 parent, Hash32 expected) {
        super("chain " + chain.name() + ": block " + block + " has parent " + parent + " but the last processed block is "
            + expected + " (a reorg below the confirmation depth; raise the confirmation depth and replay)");
    }
}
