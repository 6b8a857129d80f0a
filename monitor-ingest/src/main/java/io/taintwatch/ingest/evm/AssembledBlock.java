package io.taintwatch.ingest.evm;

import io.taintwatch.model.Block;
import java.util.List;

/** A block record with, for each leg (same index), where it came from, and the extraction counters. */
public record AssembledBlock(Block block, List<LegOrigin> origins, ExtractionStats stats) {
    public AssembledBlock {
        origins = List.copyOf(origins);
        if (origins.size() != block.legs().size()) {
            throw new IllegalArgumentException("block " + block.number() + ": " + origins.size() + " origins for " + block.legs().size() + " legs");
        }
    }
}
