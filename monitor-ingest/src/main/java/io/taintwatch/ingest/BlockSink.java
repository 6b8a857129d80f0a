package io.taintwatch.ingest;

import io.taintwatch.model.Block;
import java.util.List;
import java.util.Optional;

/** Where confirmed blocks go: publishing a batch and moving the checkpoint past it is one atomic step. */
public interface BlockSink extends AutoCloseable {
    /** The checkpoint left by the last successful {@link #publish}, if any (read once, at start). */
    Optional<Checkpoint> checkpoint();

    /**
     * Publishes the blocks, the metadata of the tokens they move and the checkpoint of the last block atomically: all of
     * them or none.
     */
    void publish(BlockBatch batch);

    /** Publishes blocks that bring no token metadata. */
    default void publish(List<Block> blocks) {
        publish(BlockBatch.of(blocks));
    }

    @Override
    default void close() {}
}
