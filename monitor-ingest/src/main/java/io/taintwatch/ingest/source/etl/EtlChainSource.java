package io.taintwatch.ingest.source.etl;

import io.taintwatch.ingest.BlockBatch;
import io.taintwatch.ingest.ChainSource;
import io.taintwatch.ingest.WorkerSettings;
import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.model.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An export directory as a {@link ChainSource}, so that an {@code IngestWorker} can publish it to {@code blocks.<chain>}
 * with the same checkpointed, exactly-once sink as the live ingest ({@code --etl DIR}). Every block of the export is
 * final: {@link #latest()} and {@link #finalized()} are its last block.
 */
public final class EtlChainSource implements ChainSource {
    private final NavigableMap<Long, Block> blocks;
    private final ExportCoverage coverage;

    private EtlChainSource(NavigableMap<Long, Block> blocks, ExportCoverage coverage) {
        this.blocks = blocks;
        this.coverage = coverage;
    }

    public static EtlChainSource load(Path dir, EtlExportSource.Options options) throws IOException {
        EtlExportSource src = EtlExportSource.open(dir, options);
        TreeMap<Long, Block> m = new TreeMap<>();
        for (AssembledBlock a : src.readAll()) {
            m.put(a.block().number(), a.block());
        }
        if (m.isEmpty()) {
            throw new IOException("export " + dir + " holds no blocks");
        }
        return new EtlChainSource(m, src.coverage());
    }

    public long firstBlock() {
        return blocks.firstKey();
    }

    public long lastBlock() {
        return blocks.lastKey();
    }

    public ExportCoverage coverage() {
        return coverage;
    }

    /** A backfill of the whole export: no confirmations, stop after the last block. */
    public WorkerSettings backfillSettings(int batchBlocks) {
        return new WorkerSettings(0, false, batchBlocks, Duration.ofMillis(10), firstBlock(), lastBlock(), Duration.ofSeconds(1));
    }

    @Override
    public long latest() {
        return blocks.lastKey();
    }

    @Override
    public OptionalLong finalized() {
        return OptionalLong.of(blocks.lastKey());
    }

    @Override
    public BlockBatch fetch(long from, long to) {
        List<Block> out = new ArrayList<>(blocks.subMap(from, true, to, true).values());
        if (out.size() != to - from + 1) {
            throw new IllegalArgumentException("export covers blocks " + firstBlock() + ".." + lastBlock() + ", not " + from + ".." + to);
        }
        return BlockBatch.of(out);
    }
}
