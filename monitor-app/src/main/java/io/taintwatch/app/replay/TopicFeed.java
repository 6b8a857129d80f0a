package io.taintwatch.app.replay;

import io.taintwatch.kafka.KafkaClients;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.encoding.DecodeException;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocks {@code from..to} of the retained {@code blocks.<chain>} topic, read by a plain consumer with no group id:
 * partitions are assigned, never subscribed, and no offset is ever committed, so the replay leaves no trace on the
 * broker (no consumer group, no internal topic, no write) and the live pipeline's state is out of its reach.
 */
public final class TopicFeed implements BlockFeed {
    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);
    private final KafkaClients kafka;
    private final ChainId chain;
    private final String topic;
    private final long from;
    private final long to;
    private final Instant fromTime;
    private final Instant toTime;

    /** Blocks {@code from..to} by number. */
    public TopicFeed(KafkaClients kafka, ChainId chain, long from, long to) {
        this(kafka, chain, from, to, null, null);
    }

    /**
     * Blocks by number and, when given, by block time: {@code fromTime} seeks with the record timestamps (the ingest
     * writes block time * 1000), {@code toTime} stops at the first block after it.
     */
    public TopicFeed(KafkaClients kafka, ChainId chain, long from, long to, Instant fromTime, Instant toTime) {
        this.kafka = kafka;
        this.chain = chain;
        this.topic = chain.blocksTopic();
        this.from = from;
        this.to = to;
        this.fromTime = fromTime;
        this.toTime = toTime;
    }

    @Override
    public String describe() {
        return "topic " + topic + (fromTime == null && toTime == null ? " blocks " + from + ".." + to : " from " + fromTime + " to " + toTime);
    }

    @Override
    public OptionalLong expectedBlocks() {
        return fromTime == null && toTime == null ? OptionalLong.of(to - from + 1) : OptionalLong.empty();
    }

    /** The partitions of a topic, or a clear error when the broker cannot be reached or the topic does not exist. */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic, String bootstrap) {
        List<PartitionInfo> infos;
        try {
            infos = c.partitionsFor(topic);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new ReplayException("cannot reach Kafka at " + bootstrap + " (no answer in time); check --bootstrap and that the broker is up",
                false, e);
        } catch (RuntimeException e) {
            throw new ReplayException("cannot read topic " + topic + " at " + bootstrap + ": " + ReplayException.rootMessage(e), false, e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new ReplayException("topic " + topic + " does not exist at " + bootstrap + "; check the topic name (--chain)", true, null);
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).sorted(
            java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    /**
     * The block of a record, or null for a record the taint engine dead-letters (a key that is not the chain id, a value
     * that does not decode or is of another chain): skipped here too, so a replay sees the same gap as the live engine.
     */
    private Block block(ConsumerRecord<byte[], byte[]> r) {
        try {
            TaintSerdes.blockKeys(t -> chain).deserialize(topic, r.key());
            Block b = BlockCodec.decode(r.value());
            if (!b.chain().equals(chain)) {
                throw new DecodeException("block " + b.number() + " is for chain " + b.chain().id() + ", this topic is for chain " + chain.id());
            }
            return b;
        } catch (DecodeException e) {
            log.error("{}/{}@{} skipped, as the taint engine skips it (dead-lettered to {}.dlq); the replay has a gap there: {}", r.topic(),
                r.partition(), r.offset(), topic, e.getMessage());
            return null;
        }
    }

    @Override
    public void run(Consumer<Block> sink) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.reader("taintwatch-replay"))) {
            List<TopicPartition> parts = partitions(c, topic, kafka.bootstrapServers());
            if (parts.size() != 1) {
                throw new ReplayException("topic " + topic + " has " + parts.size() + " partitions; a blocks topic must have exactly one", true, null);
            }
            TopicPartition tp = parts.get(0);
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = c.endOffsets(parts).get(tp);
            if (fromTime != null) {
                OffsetAndTimestamp at = c.offsetsForTimes(Map.of(tp, fromTime.toEpochMilli())).get(tp);
                if (at == null) {
                    log.warn("no block in {} at or after {}", topic, fromTime);
                    return;
                }
                c.seek(tp, at.offset());
            }
            boolean first = true;
            // records are in block order: skip until from, stop after to (or at the end of what is retained)
            while (c.position(tp) < end) {
                ConsumerRecords<byte[], byte[]> recs = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : recs) {
                    if (r.value() == null) {
                        continue;
                    }
                    Block b = block(r);
                    if (b == null) {
                        continue;
                    }
                    if (b.number() > to || toTime != null && b.timestamp() > toTime.getEpochSecond()) {
                        return;
                    }
                    if (b.number() >= from) {
                        if (first && fromTime == null && b.number() > from) {
                            // retention already dropped the start of the range: say so, the result is partial
                            log.warn("{} retains blocks from {} only: blocks {}..{} are not replayed", topic, b.number(), from, b.number() - 1);
                        }
                        first = false;
                        sink.accept(b);
                    }
                }
            }
        }
    }
}
