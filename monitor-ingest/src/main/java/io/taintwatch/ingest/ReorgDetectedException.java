package io.taintwatch.ingest;

import io.taintwatch.model.Hash32;

/**
 * A fetched block does not extend the last published block: the chain reorganised deeper than the confirmation
 * depth. Ingest stops; the published history needs an operator (or the later reorg handling).
 */
public final class ReorgDetectedException extends RuntimeException {
    private final String chain;
    private final long block;
    private final Hash32 expectedParent;
    private final Hash32 actualParent;

    public ReorgDetectedException(String chain, long block, Hash32 expectedParent, Hash32 actualParent) {
        super("chain " + chain + ": reorg deeper than the confirmation depth: block " + block + " has parent hash " + actualParent
            + " but the published block " + (block - 1) + " has hash " + expectedParent + "; ingest stopped");
        this.chain = chain;
        this.block = block;
        this.expectedParent = expectedParent;
        this.actualParent = actualParent;
    }

    public String chain() {
        return chain;
    }

    public long block() {
        return block;
    }

    public Hash32 expectedParent() {
        return expectedParent;
    }

    public Hash32 actualParent() {
        return actualParent;
    }
}
