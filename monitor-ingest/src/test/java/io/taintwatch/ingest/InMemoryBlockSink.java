package io.taintwatch.ingest;

import io.taintwatch.model.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A sink that keeps what was published, for unit tests of the loop. */
public final class InMemoryBlockSink implements BlockSink {
    public final List<Block> published = new ArrayList<>();
    public final List<TokenMetadata> tokens = new ArrayList<>();
    public final List<Integer> batchSizes = new ArrayList<>();
    private final Checkpoint start;

    public InMemoryBlockSink(Checkpoint start) {
        this.start = start;
    }

    @Override
    public Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(start);
    }

    @Override
    public void publish(BlockBatch batch) {
        published.addAll(batch.blocks());
        tokens.addAll(batch.tokens());
        batchSizes.add(batch.blocks().size());
    }
}
