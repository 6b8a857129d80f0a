package io.taintwatch.taint;

import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.MainnetChain;
import java.util.List;
import java.util.TreeMap;

/**
 * How many bytes of account state the taint topology rewrites per block (docs/BENCHMARKS.md, "whole-account state
 * writes"): the engine over a {@link MainnetChain} with its seeds and labels, encoding each block's updated accounts
 * as the topology does, timed apart from the engine; also the share of those bytes that is provenance. Run:
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
        long records = 0;
        long bytes = 0;
        long withoutProvenance = 0;
        long largest = 0;
        long engineNanos = 0;
        long encodeNanos = 0;
        for (int i = 0; i < blocks; i++) {
            Block b = source.next();
            legs += b.legs().size();
            long t0 = System.nanoTime();
            List<Account> updated = engine.process(b).updated();
            long t1 = System.nanoTime();
            for (Account a : updated) {
                int n = StateCodec.encodeAccount(a).length;
                bytes += n;
                largest = Math.max(largest, n);
                records++;
            }
            long t2 = System.nanoTime();
            engineNanos += t1 - t0;
            encodeNanos += t2 - t1;
            for (Account a : updated) {
                TreeMap<String, List<Provenance>> saved = new TreeMap<>(a.provenance);
                a.provenance.clear();
                withoutProvenance += StateCodec.encodeAccount(a).length;
                a.provenance.putAll(saved);
            }
        }
        System.out.printf("%d blocks, %d legs: %d account records rewritten (%.1f per block), %.1f MB (%.0f KB per block, largest %d bytes,"
                + " %.0f%% provenance); engine %.2f s, encoding the records %.2f s; %d addresses tracked at the end%n",
            blocks, legs, records, (double) records / blocks, bytes / 1e6, bytes / 1024.0 / blocks, largest,
            100.0 * (bytes - withoutProvenance) / bytes, engineNanos / 1e9, encodeNanos / 1e9, engine.trackedCount());
    }
}
