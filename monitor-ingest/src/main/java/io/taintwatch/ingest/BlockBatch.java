package io.taintwatch.ingest;

import io.taintwatch.model.Block;
import java.util.List;

/**
 * What a {@link ChainSource} returns for a range and a {@link BlockSink} publishes as one: the blocks in order, and
 * metadata of the tokens they move (may repeat tokens published before; the sink leaves those out).
 */
public record BlockBatch(List<Block> blocks, List<TokenMetadata> tokens) {
    public BlockBatch {
        blocks = List.copyOf(blocks);
        tokens = List.copyOf(tokens);
    }

    public static BlockBatch of(List<Block> blocks) {
        return new BlockBatch(blocks, List.of());
    }
}
