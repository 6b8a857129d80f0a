package io.taintwatch.app.replay;

import io.taintwatch.model.Block;
import java.io.PrintStream;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The progress line on stderr: blocks done (of how many, when known), rate and ETA, redrawn at most twice a second.
 * Only the terminal sees the clock; the replay's files never do.
 */
public final class Progress implements Consumer<Block> {
    private static final long REDRAW_NANOS = 500_000_000L;
    private final Consumer<Block> next;
    private final PrintStream out;
    private final OptionalLong expected;
    private final LongSupplier nanos;
    private long start;
    private long lastDraw;
    private long blocks;
    private long legs;
    private long lastBlock = -1;
    private boolean drawn;

    public Progress(Consumer<Block> next, PrintStream out, OptionalLong expected, LongSupplier nanos) {
        this.next = next;
        this.out = out;
        this.expected = expected;
        this.nanos = nanos;
    }

    @Override
    public void accept(Block b) {
        if (blocks == 0) {
            // the rate counts from the first block: reading an export or connecting comes before it
            start = nanos.getAsLong();
            lastDraw = start;
        }
        next.accept(b);
        blocks++;
        legs += b.legs().size();
        lastBlock = b.number();
        long now = nanos.getAsLong();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            out.print("\r" + line(now));
            out.flush();
            drawn = true;
        }
    }

    /** Ends the progress line with the totals. */
    public void finish() {
        if (drawn || blocks > 0) {
            out.print("\r" + line(nanos.getAsLong()) + "\n");
            out.flush();
        }
    }

    String line(long now) {
        double secs = Math.max(1e-3, (now - start) / 1e9); // display only: never in an output file
        long rate = Math.round(blocks / secs);
        StringBuilder sb = new StringBuilder("replay: block ").append(lastBlock).append(", ").append(blocks);
        if (expected.isPresent()) {
            long total = expected.getAsLong();
            sb.append('/').append(total).append(" blocks (").append(Math.min(100, blocks * 100 / Math.max(1, total))).append("%)");
        } else {
            sb.append(" blocks");
        }
        sb.append(", ").append(legs).append(" legs, ").append(rate).append(" blocks/s");
        if (expected.isPresent() && rate > 0) {
            long left = Math.max(0, expected.getAsLong() - blocks) / rate;
            sb.append(", ETA ").append(left / 60).append(':').append(String.format("%02d", left % 60));
        }
        return sb.append("   ").toString();
    }
}
