package io.taintwatch.topology;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.encoding.BadRecordException;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reference task: what each chain's engine is handed, for chains it knows, new ones and ones that ran on their own. */
class ReferenceFanOutTest {
    MockProcessorContext<String, ReferenceFanOut.Routed> context;
    TimestampedKeyValueStore<String, byte[]> latest;
    KeyValueStore<String, String> chains;

    @BeforeEach
    void stores() throws Exception {
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), Files.createTempDirectory("tw-fanout-").toFile());
        latest = Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(TaintTopology.REFERENCE_STORE), Serdes.String(),
            Serdes.ByteArray()).withLoggingDisabled().build();
        latest.init(context.getStateStoreContext(), latest);
        context.addStateStore(latest);
        chains = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TaintTopology.REFERENCE_CHAINS_STORE), Serdes.String(), Serdes.String())
            .withLoggingDisabled().build();
        chains.init(context.getStateStoreContext(), chains);
        context.addStateStore(chains);
    }

    ReferenceFanOut start(List<String> names, ReferencePositions positions) {
        context.resetForwards();
        ReferenceFanOut f = new ReferenceFanOut(names, positions, "watchlist", "labels");
        f.init(context);
        return f;
    }

    static Seed seed(String who, String source) {
        return new Seed(addr(who), source, Category.THEFT, 0, "test");
    }

    void read(ReferenceFanOut f, String topic, long offset, String key, Object value, long timestamp) {
        context.setRecordMetadata(topic, 0, offset);
        byte[] bytes = value == null ? null : value instanceof Seed s ? Json.seedBytes(s) : Json.entityBytes((Entity) value);
        f.process(new Record<>(key, value == null ? null : new ReferenceFanOut.Checked(value, bytes), timestamp));
    }

    /** What the chain was handed: topic|key|value, in order. */
    List<String> forwardedTo(String chain) {
        return context.forwarded().stream().filter(r -> r.record().value().chain().equals(chain)).map(r -> {
            String topic = TaintTopology.referenceTopic(r.record().headers());
            byte[] v = r.record().value().bytes();
            return topic + "|" + r.record().key() + "|" + (v == null ? "tombstone" : new String(v, StandardCharsets.UTF_8).contains("\"source_id\"")
                ? Json.parseSeed(v).sourceId() : Json.parseEntity(v).name());
        }).toList();
    }

    @Test
    void everyKnownChainIsHandedEachRecordWithTheTopicItCameFrom() {
        ReferenceFanOut f = start(List.of("ethereum", "polygon"), ReferencePositions.none());
        read(f, "watchlist", 0, addr("hacker").toString(), seed("hacker", "case:1"), 10);
        read(f, "labels", 0, addr("deposit").toString(), new Entity(addr("deposit"), "Exchange", Category.EXCHANGE_DEPOSIT, "t", 100), 11);
        read(f, "watchlist", 1, addr("hacker").toString(), null, 12);
        List<String> expected = List.of("watchlist|" + addr("hacker") + "|case:1", "labels|" + addr("deposit") + "|Exchange",
            "watchlist|" + addr("hacker") + "|tombstone");
        assertThat(forwardedTo("ethereum")).isEqualTo(expected);
        assertThat(forwardedTo("polygon")).isEqualTo(expected);
        assertThat(chains.get("ethereum")).isEmpty();
    }

    @Test
    void aChainAddedLaterIsHandedTheLatestRecordOfEveryKeyOldestFirstRemovalsIncludedThenWhatComes() {
        ReferenceFanOut f = start(List.of("ethereum"), ReferencePositions.none());
        read(f, "watchlist", 0, addr("b").toString(), seed("b", "case:b1"), 30);
        read(f, "watchlist", 1, addr("a").toString(), seed("a", "case:a"), 20);
        read(f, "watchlist", 2, addr("b").toString(), seed("b", "case:b2"), 40);
        read(f, "watchlist", 3, addr("c").toString(), seed("c", "case:c"), 25);
        read(f, "watchlist", 4, addr("c").toString(), null, 50);

        ReferenceFanOut again = start(List.of("ethereum", "polygon"), ReferencePositions.none());
        // nothing forwarded from init: the first punctuation (or record) hands the snapshot over
        assertThat(context.forwarded()).isEmpty();
        context.scheduledPunctuators().getLast().getPunctuator().punctuate(0);
        assertThat(forwardedTo("polygon")).containsExactly("watchlist|" + addr("a") + "|case:a", "watchlist|" + addr("b") + "|case:b2",
            "watchlist|" + addr("c") + "|tombstone");
        assertThat(forwardedTo("ethereum")).isEmpty();
        read(again, "watchlist", 5, addr("d").toString(), seed("d", "case:d"), 60);
        assertThat(forwardedTo("polygon")).endsWith("watchlist|" + addr("d") + "|case:d").hasSize(4);
        assertThat(forwardedTo("ethereum")).containsExactly("watchlist|" + addr("d") + "|case:d");
        assertThat(context.forwarded().stream().filter(r -> r.record().value().chain().equals("polygon")).map(r -> r.record().timestamp()))
            .containsExactly(20L, 40L, 50L, 60L);
    }

    @Test
    void aChainAddedLaterIsHandedAnAddressesLatestRecordWhateverCaseItsKeysWereWrittenIn() {
        ReferenceFanOut f = start(List.of("ethereum"), ReferencePositions.none());
        read(f, "watchlist", 0, addr("a").toChecksumHex(), seed("a", "case:a"), 20);
        // an older timestamp on a later record: the later record is the address's latest all the same
        read(f, "watchlist", 1, addr("a").toString(), null, 10);
        start(List.of("ethereum", "polygon"), ReferencePositions.none());
        context.scheduledPunctuators().getLast().getPunctuator().punctuate(0);
        assertThat(forwardedTo("polygon")).containsExactly("watchlist|" + addr("a") + "|tombstone");
    }

    @Test
    void aChainThatRanAsItsOwnApplicationIsHandedOnlyTheRecordsFromWhereItStopped() {
        ReferenceFanOut f = start(List.of("ethereum"), new ReferencePositions(Map.of("ethereum", Map.of("watchlist", 2L, "labels", 1L))));
        // the reference task starts from the beginning of the topics: it rebuilds its snapshot, and forwards from the positions
        read(f, "watchlist", 0, addr("a").toString(), seed("a", "case:a"), 1);
        read(f, "labels", 0, addr("x").toString(), new Entity(addr("x"), "X", Category.EXCHANGE, "t", 100), 2);
        read(f, "watchlist", 1, addr("b").toString(), seed("b", "case:b"), 3);
        read(f, "watchlist", 2, addr("c").toString(), seed("c", "case:c"), 4);
        read(f, "labels", 1, addr("y").toString(), new Entity(addr("y"), "Y", Category.EXCHANGE, "t", 100), 5);
        assertThat(forwardedTo("ethereum")).containsExactly("watchlist|" + addr("c") + "|case:c", "labels|" + addr("y") + "|Y");
        assertThat(ReferenceFanOut.decodePositions(chains.get("ethereum"))).isEqualTo(Map.of("watchlist", 2L, "labels", 1L));
    }

    @Test
    void aChainTakenOutOfTheConfigurationIsIntroducedAgainWhenItComesBack() {
        ReferenceFanOut f = start(List.of("ethereum", "polygon"), ReferencePositions.none());
        read(f, "watchlist", 0, addr("a").toString(), seed("a", "case:a"), 1);
        start(List.of("ethereum"), ReferencePositions.none());
        assertThat(chains.get("polygon")).isNull();
        ReferenceFanOut back = start(List.of("ethereum", "polygon"), ReferencePositions.none());
        read(back, "watchlist", 1, addr("b").toString(), seed("b", "case:b"), 2);
        assertThat(forwardedTo("polygon")).containsExactly("watchlist|" + addr("a") + "|case:a", "watchlist|" + addr("b") + "|case:b");
    }

    @Test
    void aSeedKeyedByAnotherAddressIsRefusedWhereItWasRead() {
        ReferenceFanOut f = start(List.of("ethereum"), ReferencePositions.none());
        assertThatThrownBy(() -> read(f, "watchlist", 0, addr("other").toString(), seed("a", "case:a"), 1))
            .isInstanceOf(BadRecordException.class).hasMessageContaining("does not match");
        assertThat(forwardedTo("ethereum")).isEmpty();
        assertThat(latest.approximateNumEntries()).isZero();
    }
}
