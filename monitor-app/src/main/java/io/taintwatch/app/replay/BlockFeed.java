package io.taintwatch.app.replay;

import io.taintwatch.model.Block;
import io.taintwatch.tokens.Token;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** Where a replay's blocks come from: an export, a node or the retained blocks topic. Blocks are handed over in chain order. */
public interface BlockFeed extends AutoCloseable {
    /** For the progress line and errors: what is read. */
    String describe();

    /** How many blocks will come, when known in advance (for the ETA). */
    OptionalLong expectedBlocks();

    void run(Consumer<Block> sink) throws Exception;

    /** Token metadata the source holds (an export's {@code tokens} table), read before the blocks; none by default. */
    default List<Token> tokens() throws Exception {
        return List.of();
    }

    @Override
    default void close() throws Exception {}
}
