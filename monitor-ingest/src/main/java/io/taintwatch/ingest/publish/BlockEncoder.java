package io.taintwatch.ingest.publish;

import io.taintwatch.model.Block;

/** The value bytes of a {@code blocks.<chain>} record (the app wires {@code io.taintwatch.encoding.BlockCodec::encode}). */
@FunctionalInterface
public interface BlockEncoder {
    byte[] encode(Block block);
}
