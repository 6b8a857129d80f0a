package io.taintwatch.encoding;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.taintwatch.encoding.proto.BlockRecord;
import io.taintwatch.model.Block;

/**
 * Block decoding throughput in legs per second (one operation = one leg): {@link BlockCodec#decode} and
 * {@link BlockCodec#scan} (validation and framing only, what the taint topology's deserializer does) on
 * 300-leg synthetic blocks, against protobuf-java's generated parser on the same bytes (which only
 * builds protobuf messages, not the domain model), and encoding for reference. The secondary result
 * {@code perCpuSecond} is legs per second of the benchmark thread's CPU time ({@link ThreadCpu}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockDecodeBenchmark {
    static final int LEGS = 300;
    private static final int BLOCKS = 256;

    private byte[][] encoded;
    private Block[] blocks;
    private int next;

    @Setup
    public void setUp() {
        SyntheticBlocks gen = new SyntheticBlocks(42);
        encoded = new byte[BLOCKS][];
        blocks = new Block[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = gen.block(19_000_000 + i, LEGS);
            encoded[i] = BlockCodec.encode(blocks[i]);
            if (!BlockCodec.decode(encoded[i]).equals(blocks[i])) {
                throw new IllegalStateException("synthetic block " + i + " does not round-trip");
            }
        }
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (BLOCKS - 1);
        return i;
    }

    @Benchmark
    @OperationsPerInvocation(LEGS)
    public Block decode(ThreadCpu cpu) {
        cpu.add(LEGS);
        return BlockCodec.decode(encoded[nextIndex()]);
    }

    /** What the taint topology's deserializer does: validate every leg, frame it, build nothing. */
    @Benchmark
    @OperationsPerInvocation(LEGS)
    public EncodedBlock scan(ThreadCpu cpu) {
        cpu.add(LEGS);
        return BlockCodec.scan(encoded[nextIndex()]);
    }

    @Benchmark
    @OperationsPerInvocation(LEGS)
    public void protobufJavaParse(Blackhole bh, ThreadCpu cpu) throws Exception {
        cpu.add(LEGS);
        bh.consume(BlockRecord.parseFrom(encoded[nextIndex()]));
    }

    @Benchmark
    @OperationsPerInvocation(LEGS)
    public byte[] encode(ThreadCpu cpu) {
        cpu.add(LEGS);
        return BlockCodec.encode(blocks[nextIndex()]);
    }
}
