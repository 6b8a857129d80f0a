package io.taintwatch.ingest;

import java.util.OptionalLong;

/** A chain as the generic ingest loop sees it: a head and block records by number. Chain specifics live behind it. */
public interface ChainSource extends AutoCloseable {
    /** The newest block number the source knows. */
    long latest() throws Exception;

    /** The node's {@code finalized} block, when it has that notion. */
    OptionalLong finalized() throws Exception;

    /**
     * Block records {@code from..to} inclusive, in order, legs in chain order, with the metadata of the tokens they move
     * (published in the same transaction as the blocks).
     */
    BlockBatch fetch(long from, long to) throws Exception;

    @Override
    default void close() throws Exception {}
}
