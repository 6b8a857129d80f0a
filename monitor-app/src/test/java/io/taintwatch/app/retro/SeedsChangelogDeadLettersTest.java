package io.taintwatch.app.retro;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.StateCodec;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.topology.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The seeds changelog the screener follows: a record the engine did not write (key not 20 address bytes, a value that
 * does not decode, a value for another address than its key) becomes a dead letter to {@code <changelog>.dlq} with the
 * taintwatch.dlq headers, and the good records around it are planned as usual.
 */
class SeedsChangelogDeadLettersTest {
    static final String TOPIC = "taintwatch-taint-ethereum-taint-seeds-changelog";
    static final Address A = Address.parse("0x5555555555555555555555555555555555555555");
    static final Address B = Address.parse("0x6666666666666666666666666666666666666666");

    static ConsumerRecord<byte[], byte[]> record(long offset, byte[] key, byte[] value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0, key, value, new RecordHeaders(), Optional.empty());
    }

    @Test
    void recordsTheEngineDidNotWriteAreDeadLetteredAndTheOthersPlanned() {
        byte[] seedOfA = StateCodec.encodeSeed(new TaintEngine.ActiveSeed(new Seed(A, "case:1", Category.THEFT, 0, "t"), 7));
        List<ConsumerRecord<byte[], byte[]>> in = List.of(
            record(0, A.toBytes(), seedOfA),
            record(1, new byte[19], seedOfA),
            record(2, null, seedOfA),
            record(3, A.toBytes(), "garbage".getBytes(StandardCharsets.UTF_8)),
            record(4, B.toBytes(), seedOfA),
            record(5, A.toBytes(), null));
        List<RetroPlanner.SeedRecord> good = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
        in.forEach(r -> RetroScreener.seedRecord(r, good, dead));

        assertThat(good).extracting(RetroPlanner.SeedRecord::offset).containsExactly(0L, 5L);
        assertThat(good.get(0).active().effectiveFrom()).isEqualTo(7);
        assertThat(dead).extracting(ProducerRecord::topic).containsOnly(TOPIC + ".dlq");
        assertThat(dead).extracting(d -> header(d, DeadLetterHandler.H_OFFSET)).containsExactly("1", "2", "3", "4");
        assertThat(dead).allSatisfy(d -> {
            assertThat(header(d, DeadLetterHandler.H_TOPIC)).isEqualTo(TOPIC);
            assertThat(header(d, DeadLetterHandler.H_PARTITION)).isEqualTo("0");
        });
        assertThat(dead).extracting(d -> header(d, DeadLetterHandler.H_REASON)).satisfiesExactly(
            r -> assertThat(r).contains("key of 19 bytes, expected the 20 bytes of an address"),
            r -> assertThat(r).contains("key of no bytes"),
            r -> assertThat(r).isNotBlank(),
            r -> assertThat(r).contains("key " + B + " does not match the value's address " + A));
        assertThat(dead.get(2).value()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.get(3).key()).isEqualTo(B.toBytes());
    }

    static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
