package io.taintwatch.taint;

import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.model.Block;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine in process on a synthetic chain where about 0.1% of legs touch tainted addresses: legs/s on
 * one core (one op = one leg). The chain is decoded before measuring; each invocation runs a fresh engine
 * over {@link #BLOCKS} blocks, so state grows as it would from a cold start. {@code perCpuSecond} is legs per
 * second of the benchmark thread's own CPU time ({@code ThreadCpu}), meaningful on a busy machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TaintEngineBenchmark {
    static final int BLOCKS = 1_000;
    static final int LEGS_PER_BLOCK = 300;
    static final ChainId CHAIN = new ChainId(1, "ethereum");

    @Param({"1000"})
    int taintedPerMillion;

    List<Block> blocks;
    List<byte[]> encoded;
    SyntheticChain chain;

    @Setup(Level.Trial)
    public void generate() {
        chain = new SyntheticChain(CHAIN, new SyntheticChain.Params(7, 200_000, LEGS_PER_BLOCK, 10, 200, 4, taintedPerMillion), 1);
        blocks = new ArrayList<>(BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            Block b = chain.next();
            if (b.legs().size() != LEGS_PER_BLOCK) {
                throw new IllegalStateException("synthetic block has " + b.legs().size() + " legs, expected " + LEGS_PER_BLOCK);
            }
            blocks.add(b);
        }
        encoded = blocks.stream().map(BlockCodec::encode).toList();
    }

    /** One op = one leg ({@code @OperationsPerInvocation}), so the score is legs/s. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS * LEGS_PER_BLOCK)
    public int haircut(io.taintwatch.encoding.ThreadCpu cpu) {
        cpu.add(BLOCKS * LEGS_PER_BLOCK);
        return run(TaintConfig.defaults());
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS * LEGS_PER_BLOCK)
    public int fifo(io.taintwatch.encoding.ThreadCpu cpu) {
        cpu.add(BLOCKS * LEGS_PER_BLOCK);
        return run(TaintConfig.defaults().withPolicy(io.taintwatch.model.PolicyKind.FIFO));
    }

    /** From record bytes without the pass-over: decode every block in full, then process it (the baseline of the pass-over's gain). */
    @Benchmark
    @OperationsPerInvocation(BLOCKS * LEGS_PER_BLOCK)
    public int bytesDecodeAll(io.taintwatch.encoding.ThreadCpu cpu) {
        cpu.add(BLOCKS * LEGS_PER_BLOCK);
        TaintEngine e = engine(TaintConfig.defaults());
        int flows = 0;
        for (byte[] b : encoded) {
            flows += e.process(BlockCodec.decode(b)).flows().size();
        }
        return flows;
    }

    /** From record bytes, as the topology does: scan, and build the legs only of blocks that touch tracked addresses. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS * LEGS_PER_BLOCK)
    public int bytesPassOver(io.taintwatch.encoding.ThreadCpu cpu) {
        cpu.add(BLOCKS * LEGS_PER_BLOCK);
        TaintEngine e = engine(TaintConfig.defaults());
        io.taintwatch.model.BlockLegs.AddressSet affects = e::mayBeAffectedBy;
        int flows = 0;
        for (byte[] bytes : encoded) {
            EncodedBlock b = BlockCodec.scan(bytes);
            flows += (b.anyLegTouches(affects) ? e.process(b) : e.passOver(b.chain(), b.number(), b.hash(), b.parentHash()))
                .flows().size();
        }
        return flows;
    }

    private TaintEngine engine(TaintConfig config) {
        TaintEngine e = new TaintEngine(CHAIN, config);
        chain.seeds().forEach(e::putSeed);
        chain.labels().forEach(e::putLabel);
        return e;
    }

    private int run(TaintConfig config) {
        TaintEngine e = new TaintEngine(CHAIN, config);
        chain.seeds().forEach(e::putSeed);
        chain.labels().forEach(e::putLabel);
        int flows = 0;
        for (Block b : blocks) {
            flows += e.process(b).flows().size();
        }
        return flows;
    }
}
