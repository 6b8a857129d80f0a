package io.taintwatch.app.retro;

import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.model.Block;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * A look-back given as a duration ({@code retro.lookback.duration}): from the time of the last block before the pickup
 * block, back by the duration, to the first retained block at or after that time. Block time comes from the blocks
 * themselves; the start is found with the record timestamps, which the ingest writes as block time (as
 * {@code taintwatch replay --from-time} does).
 */
final class TopicLookback implements RetroPlanner.Lookback {
    private final RetroSettings rs;
    private final Duration duration;

    TopicLookback(RetroSettings rs, Duration duration) {
        this.rs = rs;
        this.duration = duration;
    }

    @Override
    public String describe() {
        return duration.toString();
    }

    @Override
    public long from(long pickupBlock) {
        if (pickupBlock == 0) {
            return 0;
        }
        try (KafkaConsumer<byte[], byte[]> c = CompactedTopics.consumer(rs.kafka(), "taintwatch-retro-lookback")) {
            List<TopicPartition> parts = CompactedTopics.partitions(c, rs.chain().blocksTopic());
            if (parts.size() != 1) {
                return pickupBlock;
            }
            TopicPartition tp = parts.get(0);
            c.assign(parts);
            long begin = c.beginningOffsets(parts).get(tp);
            long end = c.endOffsets(parts).get(tp);
            Block last = find(c, tp, begin, end, pickupBlock - 1);
            if (last == null) {
                return pickupBlock; // the block before the pickup is not retained: nothing to screen
            }
            long since = (last.timestamp() - duration.toSeconds()) * 1000;
            OffsetAndTimestamp at = c.offsetsForTimes(Map.of(tp, Math.max(0, since))).get(tp);
            if (at == null) {
                return pickupBlock;
            }
            Block first = at(c, tp, at.offset(), end);
            return first == null ? pickupBlock : Math.min(first.number(), pickupBlock);
        }
    }

    /** Binary search by block number over offsets (blocks are in chain order; a duplicate repeats a number). */
    private static Block find(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long begin, long end, long number) {
        long lo = begin;
        long hi = end;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            Record r = record(c, tp, mid, end);
            if (r == null) {
                hi = mid;
            } else if (r.block().number() < number) {
                lo = r.offset() + 1;
            } else {
                hi = mid;
            }
        }
        Record r = record(c, tp, lo, end);
        return r != null && r.block().number() == number ? r.block() : null;
    }

    private record Record(long offset, Block block) {}

    private static Block at(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long offset, long end) {
        Record r = record(c, tp, offset, end);
        return r == null ? null : r.block();
    }

    /** The first block record at or after {@code offset}, null when there is none before {@code end}. */
    private static Record record(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long offset, long end) {
        c.seek(tp, offset);
        while (c.position(tp) < end) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                if (CompactedTopics.blockNumber(r) != null) {
                    return new Record(r.offset(), BlockCodec.decode(r.value()));
                }
            }
        }
        return null;
    }
}
