package io.taintwatch.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.DecodeException;
import io.taintwatch.encoding.EncodedBlock;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.SyntheticChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The block prefetch on its own: the worker decodes what the interceptor queued, the topology's deserializer gets the
 * worker's result for the very record it was given, failures are the inline decode's, and records it never saw, or
 * skipped, decode inline.
 */
class BlockPrefetchTest {
    static final ChainId CHAIN = new ChainId(1, "ethereum");
    static final String TOPIC = CHAIN.blocksTopic();

    final AtomicInteger onWorker = new AtomicInteger();
    final AtomicInteger inline = new AtomicInteger();
    final Deserializer<EncodedBlock> counting = (t, b) -> {
        (Thread.currentThread().getName().startsWith("taintwatch-block-prefetch-") ? onWorker : inline).incrementAndGet();
        return TaintTopology.blocksOf(CHAIN).deserialize(t, b);
    };
    final BlockPrefetch prefetch = new BlockPrefetch(TOPIC, counting);
    final BlockPrefetch.Interceptor interceptor = new BlockPrefetch.Interceptor();

    BlockPrefetchTest() {
        interceptor.configure(Map.of(BlockPrefetch.INSTANCE_CONFIG, prefetch));
    }

    @AfterEach
    void close() {
        prefetch.close();
    }

    @Test
    void queuedBlocksAreDecodedOnTheWorkerAndTakenByTheRecordTheyCameFrom() {
        List<byte[]> records = blocks(40);
        interceptor.onConsume(batch(TOPIC, records));
        await().atMost(Duration.ofSeconds(10)).until(() -> onWorker.get() == records.size());
        Deserializer<EncodedBlock> d = prefetch.deserializer();
        for (byte[] r : records) {
            EncodedBlock b = d.deserialize(TOPIC, r);
            // the same block the inline decode gives, and from this record's bytes (not an equal-looking other)
            assertThat(b.bytes()).isSameAs(r);
            assertThat(b.block()).isEqualTo(BlockCodec.decode(r));
        }
        assertThat(inline).hasValue(0);
        assertThat(prefetch.prefetched()).isEqualTo(records.size());
    }

    @Test
    void aBadRecordFailsOnTheStreamThreadWithTheInlineDecodesMessage() {
        byte[] bad = Arrays.copyOf(BlockCodec.encode(new SyntheticChain(CHAIN, SyntheticChain.Params.defaults(3), 100).next()), 40);
        String expected = catchMessage(() -> TaintTopology.blocksOf(CHAIN).deserialize(TOPIC, bad));
        interceptor.onConsume(batch(TOPIC, List.of(bad)));
        await().atMost(Duration.ofSeconds(10)).until(() -> onWorker.get() == 1);
        assertThatThrownBy(() -> prefetch.deserializer().deserialize(TOPIC, bad)).isInstanceOf(DecodeException.class).hasMessage(expected);
        assertThat(inline).hasValue(0);
    }

    @Test
    void recordsNotQueuedOrOfOtherTopicsDecodeInline() {
        List<byte[]> records = blocks(3);
        interceptor.onConsume(batch("watchlist", records));
        Deserializer<EncodedBlock> d = prefetch.deserializer();
        for (byte[] r : records) {
            assertThat(d.deserialize(TOPIC, r).block()).isEqualTo(BlockCodec.decode(r));
        }
        assertThat(inline).hasValue(3);
        assertThat(onWorker).hasValue(0);
        assertThat(d.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void recordsSkippedByTheStreamThreadAreReleasedAndDecodeInlineIfAskedForLater() {
        List<byte[]> records = blocks(5);
        interceptor.onConsume(batch(TOPIC, records));
        await().atMost(Duration.ofSeconds(10)).until(() -> onWorker.get() == 5);
        Deserializer<EncodedBlock> d = prefetch.deserializer();
        // a rebalance dropped the first three records: the fourth is asked for first, the first is re-fetched later
        assertThat(d.deserialize(TOPIC, records.get(3)).number()).isEqualTo(BlockCodec.decode(records.get(3)).number());
        assertThat(d.deserialize(TOPIC, records.get(0)).block()).isEqualTo(BlockCodec.decode(records.get(0)));
        assertThat(inline).hasValue(1);
        assertThat(prefetch.prefetched()).isEqualTo(1);
    }

    @Test
    void theWorkerStaysAtMostLeadRecordsAhead() throws InterruptedException {
        List<byte[]> records = blocks(BlockPrefetch.LEAD * 3);
        interceptor.onConsume(batch(TOPIC, records));
        await().atMost(Duration.ofSeconds(10)).until(() -> onWorker.get() >= BlockPrefetch.LEAD);
        Thread.sleep(200);
        // sequence numbers start at 0 and nothing was taken yet (taken = -1): records 0..LEAD-1 may be decoded
        assertThat(onWorker.get()).isEqualTo(BlockPrefetch.LEAD);
        Deserializer<EncodedBlock> d = prefetch.deserializer();
        for (byte[] r : records) {
            d.deserialize(TOPIC, r);
        }
        assertThat(prefetch.prefetched() + inline.get()).isEqualTo(records.size());
        assertThat(prefetch.prefetched()).isGreaterThan(BlockPrefetch.LEAD);
    }

    @Test
    void configureAddsTheInterceptorAfterThoseAlreadySetAndTheInterceptorNeedsItsPrefetch() {
        Properties p = new Properties();
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), "com.example.Audit");
        prefetch.configure(p);
        assertThat(p.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG)))
            .isEqualTo("com.example.Audit," + BlockPrefetch.Interceptor.class.getName());
        assertThat(p.get(StreamsConfig.mainConsumerPrefix(BlockPrefetch.INSTANCE_CONFIG))).isSameAs(prefetch);
        assertThatThrownBy(() -> new BlockPrefetch.Interceptor().configure(Map.of())).isInstanceOf(ConfigException.class)
            .hasMessageContaining(BlockPrefetch.INSTANCE_CONFIG);
    }

    private static List<byte[]> blocks(int n) {
        SyntheticChain chain = new SyntheticChain(CHAIN, SyntheticChain.Params.defaults(5), 1_000);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(BlockCodec.encode(chain.next()));
        }
        return out;
    }

    private static ConsumerRecords<byte[], byte[]> batch(String topic, List<byte[]> values) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> rs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rs.add(new ConsumerRecord<>(topic, 0, i, null, values.get(i)));
        }
        return new ConsumerRecords<>(Map.of(tp, rs), Map.of());
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }
}
