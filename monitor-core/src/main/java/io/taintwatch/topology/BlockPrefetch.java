package io.taintwatch.topology;

import io.taintwatch.encoding.EncodedBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Decodes block records on a second thread ahead of the stream thread. Kafka Streams deserializes a record on its one
 * stream thread just before processing it, after that same thread has fetched and decompressed it; validating and framing
 * a block ({@code BlockCodec.scan}) is then the largest single part of the stream thread's time. A consumer interceptor
 * sees each batch the moment {@code poll} returns it and queues the block records; a worker decodes them in order with
 * the topology's own deserializer while the stream thread processes earlier ones, and the topology's deserializer takes
 * the worker's result for the same record (the same {@code byte[]}, looked up by identity).
 *
 * <p>Nothing depends on the worker for correctness: a record it has not started is decoded by the stream thread itself
 * (the worker then skips it), a record the interceptor never saw (TopologyTestDriver, a seek, a second partition out of
 * order) is decoded inline, and a failure is the same exception, thrown on the stream thread, that the inline decode
 * throws, so bad records reach the dead-letter topic exactly as before. The worker runs at most {@link #LEAD} records
 * ahead of the stream thread, which bounds the decoded blocks held in memory.
 */
public final class BlockPrefetch implements AutoCloseable {
    /** Consumer config key carrying this object to the interceptor (passed through under the main consumer's prefix). */
    static final String INSTANCE_CONFIG = "taintwatch.block.prefetch";
    /** Records decoded ahead of the one the stream thread is on, at most. */
    static final int LEAD = 64;
    /** Spins (about 50 ns each) the stream thread waits for a record the worker is decoding before decoding it itself. */
    private static final int SPINS = 100;

    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int TAKEN = 3;

    private final String topic;
    private final Deserializer<EncodedBlock> decode;
    private final Map<byte[], Job> jobs = new ConcurrentHashMap<>();
    // the jobs in the order the interceptor queued them
    private final ConcurrentLinkedDeque<Job> order = new ConcurrentLinkedDeque<>();
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final AtomicInteger prefetched = new AtomicInteger();
    private final AtomicInteger raced = new AtomicInteger();
    private volatile long takenSeq = -1;
    private volatile boolean workerWaiting;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong nextSeq = new java.util.concurrent.atomic.AtomicLong();

    /** @param decode the topology's deserializer of {@code topic}'s values, run on the worker as it would run inline */
    public BlockPrefetch(String topic, Deserializer<EncodedBlock> decode) {
        this.topic = topic;
        this.decode = decode;
        this.worker = new Thread(this::work, "taintwatch-block-prefetch-" + topic);
        worker.setDaemon(true);
        worker.start();
    }

    /** Installs the interceptor on the Streams application's main consumer (after any interceptors already set). */
    public void configure(Properties streams) {
        String key = StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        List<String> classes = new ArrayList<>();
        for (String k : List.of(StreamsConfig.consumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), key)) {
            Object v = streams.get(k);
            if (v != null) {
                for (String c : v.toString().replaceAll("[\\[\\]]", "").split(",")) {
                    if (!c.isBlank()) {
                        classes.add(c.trim());
                    }
                }
            }
        }
        classes.add(Interceptor.class.getName());
        streams.put(key, String.join(",", classes.stream().distinct().toList()));
        streams.put(StreamsConfig.mainConsumerPrefix(INSTANCE_CONFIG), this);
    }

    /** The topology's deserializer: the worker's result for records it has decoded, the inline decode for any other. */
    public Deserializer<EncodedBlock> deserializer() {
        return (t, bytes) -> take(t, bytes);
    }

    /** Records the worker had decoded by the time the stream thread reached them. */
    public int prefetched() {
        return prefetched.get();
    }

    /** Records the stream thread decoded itself because the worker, started on them, had not finished in time. */
    public int raced() {
        return raced.get();
    }

    private EncodedBlock take(String t, byte[] bytes) {
        Job j = bytes == null ? null : jobs.remove(bytes);
        if (j == null) {
            return decode.deserialize(t, bytes);
        }
        // records come back in the order they were queued; jobs queued before this one were never asked for (their
        // records were dropped by a rebalance or a retry): release them
        for (Job h; (h = order.pollFirst()) != null && h != j; ) {
            jobs.remove(h.bytes);
            h.state.compareAndSet(PENDING, TAKEN);
        }
        takenSeq = j.seq;
        if (workerWaiting) {
            LockSupport.unpark(worker);
        }
        if (j.state.compareAndSet(PENDING, TAKEN)) {
            return decode.deserialize(t, bytes);
        }
        // the worker is on it: wait a little, then decode it here too rather than wait on a worker the scheduler has
        // paused (on two cores shared with the broker and the compiler that happens); the first result is used
        for (int spins = 0; j.state.get() != DONE; spins++) {
            if (spins == SPINS) {
                raced.incrementAndGet();
                return decode.deserialize(t, bytes);
            }
            Thread.onSpinWait();
        }
        prefetched.incrementAndGet();
        if (j.failure instanceof RuntimeException e) {
            throw e;
        }
        if (j.failure instanceof Error e) {
            throw e;
        }
        return j.result;
    }

    private void queue(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records.records(topic)) {
            byte[] v = r.value();
            if (v == null || closed) {
                continue;
            }
            Job j = new Job(nextSeq.getAndIncrement(), r.topic(), v);
            if (jobs.putIfAbsent(v, j) == null) {
                order.addLast(j);
                queue.add(j);
            }
        }
    }

    private void work() {
        while (!closed) {
            Job j;
            try {
                j = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            while (j.seq - takenSeq > LEAD && !closed && j.state.get() == PENDING) {
                workerWaiting = true;
                if (j.seq - takenSeq > LEAD) {
                    LockSupport.parkNanos(this, 1_000_000);
                }
                workerWaiting = false;
            }
            if (!j.state.compareAndSet(PENDING, RUNNING)) {
                continue;
            }
            try {
                j.result = decode.deserialize(j.topic, j.bytes);
            } catch (Throwable e) {
                j.failure = e;
            }
            j.state.set(DONE);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        jobs.clear();
        order.clear();
        queue.clear();
    }

    private static final class Job {
        final long seq;
        final String topic;
        final byte[] bytes;
        final AtomicInteger state = new AtomicInteger(PENDING);
        EncodedBlock result;
        Throwable failure;

        Job(long seq, String topic, byte[] bytes) {
            this.seq = seq;
            this.topic = topic;
            this.bytes = bytes;
        }
    }

    /** The main consumer's interceptor: hands each polled batch's block records to the {@link BlockPrefetch} in its config. */
    public static final class Interceptor implements ConsumerInterceptor<byte[], byte[]> {
        private BlockPrefetch prefetch;

        @Override
        public void configure(Map<String, ?> configs) {
            if (!(configs.get(INSTANCE_CONFIG) instanceof BlockPrefetch p)) {
                throw new ConfigException(INSTANCE_CONFIG, configs.get(INSTANCE_CONFIG),
                    "the block prefetch interceptor needs its BlockPrefetch (set by BlockPrefetch.configure)");
            }
            prefetch = p;
        }

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            prefetch.queue(records);
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }
    }
}
