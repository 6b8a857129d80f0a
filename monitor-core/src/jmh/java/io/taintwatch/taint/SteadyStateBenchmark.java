package io.taintwatch.taint;

import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.model.BlockLegs;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.SyntheticChain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The topology's per-record path in process (scan the record, probe its legs, pass it over or run the engine on it),
 * as in a long catch-up of {@code SimpleChainThroughputMain}'s chain: the engine has first processed {@link #WARM}
 * blocks, so thousands of addresses are tracked (that bench counts 8,313 after 150,000 blocks, and one block in six
 * touching one), where
 * {@link TaintEngineBenchmark} starts every run from a fresh engine (few tracked addresses). Each iteration rebuilds
 * the warmed engine (the same deterministic chain), then times one pass over the next {@link #BLOCKS} blocks, so every
 * measured pass starts from the same state. Leaves out what the topology adds around it (Kafka, the stores, sending
 * flows): docs/BENCHMARKS.md compares the two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class SteadyStateBenchmark {
    static final int WARM = 100_000;
    static final int BLOCKS = 20_000;
    static final int LEGS_PER_BLOCK = 300;
    static final ChainId CHAIN = new ChainId(1, "ethereum");

    List<byte[]> encoded;
    TaintEngine engine;
    int tracked;

    @Setup(Level.Iteration)
    public void warm() {
        SyntheticChain chain = new SyntheticChain(CHAIN, SyntheticChain.Params.defaults(7), 1);
        engine = new TaintEngine(CHAIN, TaintConfig.defaults());
        chain.seeds().forEach(engine::putSeed);
        chain.labels().forEach(engine::putLabel);
        for (int i = 0; i < WARM; i++) {
            engine.process(chain.next());
        }
        tracked = engine.trackedCount();
        if (encoded == null) {
            encoded = new ArrayList<>(BLOCKS);
            for (int i = 0; i < BLOCKS; i++) {
                encoded.add(BlockCodec.encode(chain.next()));
            }
        }
        // the warm-up's garbage collected now, not in the measured pass
        System.gc();
    }

    /** One op = one leg, so the score is nanoseconds per leg. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS * LEGS_PER_BLOCK)
    public int scanProbeProcess() {
        return pass(true);
    }

    /** The same pass with every block passed over after probing: the difference to the above is the engine's work. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS * LEGS_PER_BLOCK)
    public int scanProbe() {
        return pass(false);
    }

    private int pass(boolean processTouched) {
        TaintEngine e = engine;
        BlockLegs.AddressSet affects = e::mayBeAffectedBy;
        int touched = 0;
        int flows = 0;
        for (byte[] bytes : encoded) {
            EncodedBlock b = BlockCodec.scan(bytes);
            // counted in both, so that the probes are never dead code
            if (b.anyLegTouches(affects)) {
                touched++;
                if (processTouched) {
                    flows += e.process(b).flows().size();
                    continue;
                }
            }
            e.passOver(b.chain(), b.number(), b.hash(), b.parentHash());
        }
        return touched + flows + tracked;
    }
}
