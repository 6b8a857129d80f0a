package io.taintwatch.ingest;

import io.taintwatch.ingest.metrics.IngestMetrics;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Follows one chain: head, target = min(safe head, next + batch - 1), fetch, check parent hashes, publish the blocks
 * and the checkpoint atomically, sleep when there is nothing new. Knows nothing of Ethereum: a {@link ChainSource}
 * makes the blocks and a {@link BlockSink} publishes them. Resumes after the sink's checkpoint.
 */
public final class IngestWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(IngestWorker.class);

    private final ChainId chain;
    private final ChainSource source;
    private final BlockSink sink;
    private final WorkerSettings settings;
    private final IngestMetrics metrics;
    private volatile boolean running = true;
    private volatile Thread runner;
    private long next;
    private Hash32 lastHash;
    /** The block whose parent did not match the last published hash at the previous attempt, or -1. */
    private long suspectedReorgAt = -1;

    public IngestWorker(ChainId chain, ChainSource source, BlockSink sink, WorkerSettings settings, IngestMetrics metrics) {
        this.chain = chain;
        this.source = source;
        this.sink = sink;
        this.settings = settings;
        this.metrics = metrics;
        Optional<Checkpoint> cp = sink.checkpoint();
        this.next = cp.map(c -> c.number() + 1).orElse(settings.startBlock());
        this.lastHash = cp.map(Checkpoint::hash).orElse(null);
        cp.ifPresentOrElse(c -> log.info("chain {}: resuming after checkpoint block {} ({})", chain.name(), c.number(), c.hash()),
            () -> log.info("chain {}: no checkpoint, starting at block {}", chain.name(), settings.startBlock()));
    }

    /** The next block number to publish. */
    public long nextBlock() {
        return next;
    }

    /** Runs until {@link #stop()}, the end block of a backfill, or a fatal error (a deep reorg, a permanent source error). */
    @Override
    public void run() {
        runner = Thread.currentThread();
        MDC.put("chain", chain.name());
        try {
            while (running && !finished()) {
                int published;
                try {
                    published = step();
                } catch (TransientIngestException e) {
                    log.warn("chain {}: transient failure at block {}, retrying in {}: {}", chain.name(), next, settings.retryBackoff(), e.getMessage());
                    sleep(settings.retryBackoff().toMillis());
                    continue;
                }
                if (published == 0 && running && !finished()) {
                    sleep(settings.pollInterval().toMillis());
                }
            }
        } finally {
            MDC.remove("chain");
            runner = null;
        }
    }

    /** True when a backfill has published its end block. */
    public boolean finished() {
        return settings.endBlock() != null && next > settings.endBlock();
    }

    /** One iteration: publishes at most one batch and returns how many blocks it published (0 when idle). */
    public int step() {
        long safe = safeHead();
        long target = Math.min(safe, next + settings.batchBlocks() - 1);
        if (settings.endBlock() != null) {
            target = Math.min(target, settings.endBlock());
        }
        if (target < next) {
            return 0;
        }
        BlockBatch batch;
        try {
            batch = source.fetch(next, target);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("chain " + chain.name() + ": fetching blocks " + next + ".." + target + " failed: " + e.getMessage(), e);
        }
        List<Block> blocks = batch.blocks();
        checkLinked(blocks, target);
        sink.publish(batch);
        for (Block b : blocks) {
            Map<LegKind, Long> byKind = new EnumMap<>(LegKind.class);
            for (Leg l : b.legs()) {
                byKind.merge(l.kind(), 1L, Long::sum);
            }
            metrics.published(chain.name(), b.number(), b.timestamp(), byKind);
        }
        suspectedReorgAt = -1;
        Block last = blocks.get(blocks.size() - 1);
        log.debug("chain {}: published blocks {}..{}", chain.name(), next, last.number());
        next = last.number() + 1;
        lastHash = last.hash();
        return blocks.size();
    }

    private long safeHead() {
        try {
            long latest = source.latest();
            metrics.head(chain.name(), latest);
            if (settings.useFinalized()) {
                return source.finalized().orElseThrow(() -> new IllegalStateException("chain " + chain.name()
                    + ": the node reports no finalized block; configure confirmations instead"));
            }
            return latest - settings.confirmations();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("chain " + chain.name() + ": reading the head failed: " + e.getMessage(), e);
        }
    }

    /**
     * Each block must extend the previous one. Against the last published block a mismatch is a reorg deeper than the
     * confirmations (fatal) when a fresh fetch says so again: a single answer garbled on the way, or from a lagging
     * endpoint on another fork, must not stop the chain. Inside a fetched batch a mismatch means the node changed its
     * view mid-fetch (retry). Blocks with unknown hashes (zero, from transfer-only exports) are not checked.
     */
    private void checkLinked(List<Block> blocks, long target) {
        if (blocks.size() != target - next + 1 || blocks.get(0).number() != next) {
            throw new IllegalStateException("chain " + chain.name() + ": source returned " + blocks.size() + " blocks for " + next + ".." + target);
        }
        Hash32 prev = lastHash;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b.number() != next + i) {
                throw new IllegalStateException("chain " + chain.name() + ": source returned block " + b.number() + " where " + (next + i) + " was expected");
            }
            if (known(prev) && known(b.parentHash()) && !prev.equals(b.parentHash())) {
                if (i == 0) {
                    if (suspectedReorgAt == b.number()) {
                        throw new ReorgDetectedException(chain.name(), b.number(), prev, b.parentHash());
                    }
                    suspectedReorgAt = b.number();
                    throw new TransientIngestException("chain " + chain.name() + ": block " + b.number() + " has parent hash " + b.parentHash()
                        + " but published block " + (b.number() - 1) + " has hash " + prev + "; fetching again to tell a bad answer from a reorg", null);
                }
                throw new TransientIngestException("chain " + chain.name() + ": block " + b.number() + " does not extend block "
                    + (b.number() - 1) + " of the same fetch (the node's view changed)", null);
            }
            prev = b.hash();
        }
    }

    private static boolean known(Hash32 h) {
        return h != null && !h.equals(Hash32.ZERO);
    }

    public void stop() {
        running = false;
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    private void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            running = false; // an interrupt is a stop request
        }
    }
}
