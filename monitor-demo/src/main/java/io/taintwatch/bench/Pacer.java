package io.taintwatch.bench;

import io.taintwatch.synth.MainnetChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a {@link LivePipeline} from its chain at a fixed rate in legs per second, as a node would deliver blocks:
 * block {@code i} is due once the legs of the blocks before it have "elapsed" at that rate. Blocks that fell due
 * together (the producer running behind) go out in one transaction, at most 50, like the ingest's batches.
 */
final class Pacer {
    /** What one paced run did; lag samples are (seconds since start, blocks produced but not processed). */
    record Run(double targetLegsPerS, long legs, long blocks, double seconds, List<double[]> lag) {
        double achievedLegsPerS() {
            return legs / seconds;
        }

        /** Mean lag in blocks over the samples within [from, to) of the run's duration, as fractions. */
        double meanLag(double from, double to) {
            double s = 0;
            int n = 0;
            for (double[] l : lag) {
                if (l[0] >= from * seconds && l[0] < to * seconds) {
                    s += l[1];
                    n++;
                }
            }
            return n == 0 ? 0 : s / n;
        }
    }

    private Pacer() {}

    static Run run(LivePipeline p, double legsPerS, Duration duration, long maxBlocks) throws InterruptedException {
        long t0 = System.nanoTime();
        long end = duration.toNanos();
        double legsDue = 0;
        long legs = 0;
        long blocks = 0;
        long nextSample = 0;
        List<double[]> lag = new ArrayList<>();
        MainnetChain.GeneratedBlock next = p.nextBlock();
        while (blocks < maxBlocks) {
            long now = System.nanoTime() - t0;
            if (now >= end) {
                break;
            }
            if (now >= nextSample) {
                lag.add(new double[] {now / 1e9, Math.max(0, p.lastProduced() - p.lastProcessed())});
                nextSample = now + 100_000_000L;
            }
            long dueAt = (long) (legsDue / legsPerS * 1e9);
            if (now < dueAt) {
                Thread.sleep(Math.max(0, Math.min((dueAt - now) / 1_000_000, 50)), (int) Math.min(999_999, Math.max(0, (dueAt - now) % 1_000_000)));
                continue;
            }
            List<MainnetChain.GeneratedBlock> batch = new ArrayList<>();
            while (batch.size() < 50 && blocks + batch.size() < maxBlocks && (long) (legsDue / legsPerS * 1e9) <= now) {
                batch.add(next);
                legsDue += next.block().legs().size();
                next = p.nextBlock();
            }
            p.publish(batch);
            p.checkAlive();
            for (MainnetChain.GeneratedBlock g : batch) {
                legs += g.block().legs().size();
            }
            blocks += batch.size();
        }
        // the block generated ahead goes first in the next run: a skipped block would break the parent-hash chain
        p.putBack(next);
        double seconds = Math.max((System.nanoTime() - t0) / 1e9, 1e-3);
        return new Run(legsPerS, legs, blocks, seconds, lag);
    }
}
