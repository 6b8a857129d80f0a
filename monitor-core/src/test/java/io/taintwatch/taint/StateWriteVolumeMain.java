package io.taintwatch.taint;

import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.MainnetChain;
import java.util.List;

/**
 * How many records and bytes of account state the taint topology writes per block (docs/BENCHMARKS.md, "state
 * writes"): the engine over a {@link MainnetChain} with its seeds and labels, encoding each block's changed header and
 * holding records as the topology does (key and value bytes; deletes counted apart), timed apart from the engine. For
 * comparison in the same run, the former layout: each changed account as one version-1 whole-account record. Run:
 * {@code java -cp monitor-core/target/test-classes:monitor-core/target/classes:<test class path>
 * io.taintwatch.taint.StateWriteVolumeMain [blocks] [seed]}.
 */
public final class StateWriteVolumeMain {
    private StateWriteVolumeMain() {}

    public static void main(String[] args) {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        ChainId chain = new ChainId(1, "ethereum");
        MainnetChain source = new MainnetChain(chain, MainnetChain.Params.defaults(seed));
        TaintEngine engine = new TaintEngine(chain, TaintConfig.defaults());
        source.seeds().forEach(engine::putSeed);
        source.labels().forEach(engine::putLabel);
        long legs = 0;
        long engineNanos = 0;
        Volume headers = new Volume();
        Volume holdings = new Volume();
        long deletes = 0;
        long encodeNanos = 0;
        Volume whole = new Volume();
        long wholeNanos = 0;
        for (int i = 0; i < blocks; i++) {
            Block b = source.next();
            legs += b.legs().size();
            long t0 = System.nanoTime();
            List<AccountChange> changes = engine.process(b).accounts();
            long t1 = System.nanoTime();
            for (AccountChange c : changes) {
                if (!c.removed()) {
                    Account a = engine.account(c.address());
                    if (c.header()) {
                        headers.add(StateCodec.accountKey(c.address()).length + StateCodec.encodeHeader(a).length);
                    }
                    for (Asset x : c.written()) {
                        holdings.add(StateCodec.holdingKey(c.address(), x).length + StateCodec.encodeHolding(a, x).length);
                    }
                }
                deletes += c.deleted().size() + (c.removed() ? 1 : 0);
            }
            long t2 = System.nanoTime();
            for (AccountChange c : changes) {
                if (!c.removed()) {
                    whole.add(20 + StateCodec.encodeAccount(engine.account(c.address())).length);
                }
            }
            long t3 = System.nanoTime();
            engineNanos += t1 - t0;
            encodeNanos += t2 - t1;
            wholeNanos += t3 - t2;
        }
        long records = headers.records + holdings.records;
        long bytes = headers.bytes + holdings.bytes;
        System.out.printf("%d blocks, %d legs; engine %.2f s; %d addresses tracked at the end%n", blocks, legs, engineNanos / 1e9,
            engine.trackedCount());
        System.out.printf("per holding (v2): %d records written (%.1f per block: %.1f headers, %.1f holdings), %.1f MB (%.1f KB per block,"
                + " %.0f%% headers), largest %d bytes (header %d, holding %d); %d deletes (%.2f per block); encoding %.2f s%n",
            records, (double) records / blocks, (double) headers.records / blocks, (double) holdings.records / blocks, bytes / 1e6,
            bytes / 1024.0 / blocks, 100.0 * headers.bytes / Math.max(1, bytes), Math.max(headers.largest, holdings.largest),
            headers.largest, holdings.largest, deletes, (double) deletes / blocks, encodeNanos / 1e9);
        System.out.printf("the same accounts whole (v1): %d records (%.1f per block), %.1f MB (%.1f KB per block), largest %d bytes;"
                + " encoding %.2f s%n",
            whole.records, (double) whole.records / blocks, whole.bytes / 1e6, whole.bytes / 1024.0 / blocks, whole.largest,
            wholeNanos / 1e9);
    }

    /** Records written, their bytes (key and value) and the largest. */
    private static final class Volume {
        long records;
        long bytes;
        long largest;

        void add(int n) {
            records++;
            bytes += n;
            largest = Math.max(largest, n);
        }
    }
}
