package io.taintwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

public class IngestWorkerTest {
    static Hash32 h(long n, int fork) {
        return new Hash32(fork, 0, 0, n + 1);
    }

    /** A linear chain whose blocks after {@code forkFrom} can be replaced by another fork. */
    public static final class FakeChain implements ChainSource {
        public final List<Block> blocks = new ArrayList<>();
        public long head;
        int fetches;

        public FakeChain(int length) {
            for (long n = 0; n < length; n++) {
                blocks.add(new Block(ChainId.ETHEREUM, n, h(n, 0), n == 0 ? Hash32.ZERO : h(n - 1, 0), 1000 + n, List.of(), null));
            }
            head = length - 1;
        }

        void reorg(long from, int fork) {
            for (long n = from; n < blocks.size(); n++) {
                Hash32 parent = n == from ? blocks.get((int) n - 1).hash() : h(n - 1, fork);
                blocks.set((int) n, new Block(ChainId.ETHEREUM, n, h(n, fork), parent, 2000 + n, List.of(), null));
            }
        }

        @Override
        public long latest() {
            return head;
        }

        @Override
        public OptionalLong finalized() {
            return OptionalLong.of(head - 5);
        }

        @Override
        public BlockBatch fetch(long from, long to) {
            fetches++;
            return BlockBatch.of(blocks.subList((int) from, (int) to + 1));
        }
    }

    @Test
    void publishesConfirmedBlocksInBatchesAndStopsAtTheSafeHead() {
        FakeChain chain = new FakeChain(30);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, chain, sink, WorkerSettings.follow(3, 0).withBatchBlocks(10), IngestMetrics.noop());
        while (w.step() > 0) {
            // drain
        }
        assertThat(sink.published).extracting(Block::number).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, 26).boxed().toList());
        assertThat(sink.batchSizes).containsExactly(10, 10, 7);
        chain.head = 31; // no new block exists beyond 29 in the fake, but the safe head (28) allows two more
        assertThat(w.step()).isEqualTo(2);
    }

    @Test
    void resumesAfterTheCheckpointAndChecksItsHash() {
        FakeChain chain = new FakeChain(20);
        InMemoryBlockSink sink = new InMemoryBlockSink(new Checkpoint("ethereum", 9, h(9, 0)));
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, chain, sink, WorkerSettings.follow(0, 0).withBatchBlocks(100), IngestMetrics.noop());
        assertThat(w.nextBlock()).isEqualTo(10);
        w.step();
        assertThat(sink.published).extracting(Block::number).startsWith(10L).endsWith(19L);
    }

    @Test
    void reorgBelowThePublishedBlockStopsWithBothHashes() {
        FakeChain chain = new FakeChain(20);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, chain, sink, WorkerSettings.follow(2, 0).withBatchBlocks(100), IngestMetrics.noop());
        w.step(); // publishes 0..17
        chain.reorg(15, 7);
        chain.head = 19 + 2;
        // our fake does not grow, so extend it by two blocks on the new fork
        chain.blocks.add(new Block(ChainId.ETHEREUM, 20, h(20, 7), h(19, 7), 3000, List.of(), null));
        chain.blocks.add(new Block(ChainId.ETHEREUM, 21, h(21, 7), h(20, 7), 3001, List.of(), null));
        // the first sighting may be a bad answer: fetched again before the chain is stopped
        assertThatThrownBy(w::step).isInstanceOf(TransientIngestException.class).hasMessageContaining("fetching again");
        assertThat(chain.fetches).isEqualTo(2);
        assertThatThrownBy(w::step).isInstanceOf(ReorgDetectedException.class)
            .hasMessageContaining("block 18 has parent hash " + h(17, 7))
            .hasMessageContaining("published block 17 has hash " + h(17, 0));
        assertThat(sink.published).hasSize(18);
    }

    @Test
    void aSingleAnswerThatDoesNotExtendThePublishedBlockIsFetchedAgainNotFatal() {
        FakeChain chain = new FakeChain(20);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, chain, sink, WorkerSettings.follow(0, 0).withBatchBlocks(10), IngestMetrics.noop());
        w.step(); // publishes 0..9
        Block good = chain.blocks.get(10);
        chain.blocks.set(10, new Block(ChainId.ETHEREUM, 10, good.hash(), h(99, 3), good.timestamp(), List.of(), null)); // one garbled answer
        assertThatThrownBy(w::step).isInstanceOf(TransientIngestException.class);
        chain.blocks.set(10, good);
        assertThat(w.step()).isEqualTo(10);
        assertThat(sink.published).extracting(Block::number).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, 19).boxed().toList());
        // a later mismatch is again given a second look first (the suspicion was cleared by the publish)
        chain.blocks.add(new Block(ChainId.ETHEREUM, 20, h(20, 0), h(99, 4), 2000, List.of(), null));
        chain.head = 20;
        assertThatThrownBy(w::step).isInstanceOf(TransientIngestException.class);
        assertThatThrownBy(w::step).isInstanceOf(ReorgDetectedException.class);
    }

    @Test
    void backfillStopsAtItsEndBlock() {
        FakeChain chain = new FakeChain(50);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, chain, sink,
            WorkerSettings.follow(0, 5).withBatchBlocks(7).withEndBlock(20L), IngestMetrics.noop());
        w.run();
        assertThat(w.finished()).isTrue();
        assertThat(sink.published).extracting(Block::number).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(5, 20).boxed().toList());
    }

    @Test
    void finalizedTagBoundsTheTarget() {
        FakeChain chain = new FakeChain(30);
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, chain, sink,
            WorkerSettings.follow(0, 0).withBatchBlocks(100).withFinalized(true), IngestMetrics.noop());
        w.step();
        assertThat(sink.published).hasSize(25); // finalized = head - 5 = 24
    }

    @Test
    void blocksWithUnknownHashesAreNotCheckedForLinkage() {
        ChainSource unknown = new ChainSource() {
            @Override
            public long latest() {
                return 10;
            }

            @Override
            public OptionalLong finalized() {
                return OptionalLong.empty();
            }

            @Override
            public BlockBatch fetch(long from, long to) {
                List<Block> out = new ArrayList<>();
                for (long n = from; n <= to; n++) {
                    out.add(new Block(ChainId.ETHEREUM, n, Hash32.ZERO, Hash32.ZERO, 0, List.of(), null));
                }
                return BlockBatch.of(out);
            }
        };
        InMemoryBlockSink sink = new InMemoryBlockSink(new Checkpoint("ethereum", 2, h(2, 0)));
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, unknown, sink, WorkerSettings.follow(0, 0), IngestMetrics.noop());
        w.step();
        assertThat(sink.published).extracting(Block::number).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aFetchWhoseBlocksDoNotLinkIsRetriedNotPublished() {
        FakeChain chain = new FakeChain(10);
        chain.blocks.set(5, new Block(ChainId.ETHEREUM, 5, h(5, 3), h(4, 3), 1, List.of(), null));
        InMemoryBlockSink sink = new InMemoryBlockSink(null);
        IngestWorker w = new IngestWorker(ChainId.ETHEREUM, chain, sink, WorkerSettings.follow(0, 0).withBatchBlocks(100), IngestMetrics.noop());
        assertThatThrownBy(w::step).isInstanceOf(TransientIngestException.class).hasMessageContaining("view changed");
        assertThat(sink.published).isEmpty();
    }
}
