package io.taintwatch.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;

class TaintSerdesTest {
    private static final Address A = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");

    private static <T> T roundTrip(Serde<T> serde, String topic, T value) {
        return serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, value));
    }

    @Test
    void everySerdeRoundTripsItsValue() {
        Block block = BlockCodecTest.sampleBlock();
        TaintFlow flow = FlowCodecTest.sampleFlow();
        Seed seed = new Seed(A, "lazarus", Category.THEFT, 7, "ref");
        Entity entity = new Entity(A, "Kraken 4", Category.EXCHANGE_HOT_WALLET, "labels.csv", 100);

        assertThat(roundTrip(TaintSerdes.blocks(), "blocks.ethereum", block)).isEqualTo(block);
        assertThat(roundTrip(TaintSerdes.flows(), "taint-flows.ethereum", flow)).isEqualTo(flow);
        assertThat(roundTrip(TaintSerdes.seeds(), "watchlist", seed)).isEqualTo(seed);
        assertThat(roundTrip(TaintSerdes.entities(), "labels", entity)).isEqualTo(entity);
        assertThat(roundTrip(TaintSerdes.addressKey(), "labels", A)).isEqualTo(A);
        assertThat(TaintSerdes.blocks().serializer().serialize("t", block)).isEqualTo(BlockCodec.encode(block));
    }

    @Test
    void nullValuesAreTombstonesBothWays() {
        for (Serde<?> s : new Serde<?>[] {TaintSerdes.blocks(), TaintSerdes.flows(), TaintSerdes.seeds(), TaintSerdes.entities(),
            TaintSerdes.addressKey()}) {
            assertThat(s.deserializer().deserialize("t", null)).isNull();
            @SuppressWarnings("unchecked")
            Serde<Object> o = (Serde<Object>) s;
            assertThat(o.serializer().serialize("t", null)).isNull();
        }
    }

    @Test
    void addressKeysAreLowerCaseHexStrings() {
        byte[] key = TaintSerdes.addressKey().serializer().serialize("watchlist", A);

        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        assertThat(TaintSerdes.addressKey().deserializer().deserialize("watchlist",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".getBytes(StandardCharsets.UTF_8))).isEqualTo(A);
    }

    @Test
    void badRecordsThrowDecodeExceptionsNamingTopicAndReason() {
        assertThatThrownBy(() -> TaintSerdes.addressKey().deserializer().deserialize("watchlist", "0x12".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(DecodeException.class)
            .hasMessage("bad address key in topic watchlist: invalid address '0x12': expected 40 hex digits, got 2");
        assertThatThrownBy(() -> TaintSerdes.blocks().deserializer().deserialize("blocks.ethereum", new byte[] {0x08, 0x02}))
            .isInstanceOf(DecodeException.class)
            .hasMessage("bad block in topic blocks.ethereum: block record: unknown schema_version 2 (this reader knows 1)");
        assertThatThrownBy(() -> TaintSerdes.flows().deserializer().deserialize("taint-flows.ethereum", new byte[] {(byte) 0xff}))
            .isInstanceOf(DecodeException.class).hasMessageStartingWith("bad flow in topic taint-flows.ethereum: flow record: truncated input");
        assertThatThrownBy(() -> TaintSerdes.seeds().deserializer().deserialize("watchlist",
            "{\"address\":\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\",\"source_id\":\"x\",\"category\":\"nope\"}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(DecodeException.class)
            .hasMessage("bad seed in topic watchlist: seed 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed: unknown category 'nope'");
        assertThatThrownBy(() -> TaintSerdes.entities().deserializer().deserialize("labels", "not json".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(DecodeException.class).hasMessageStartingWith("bad entity in topic labels: entity is not valid JSON");
    }
}
