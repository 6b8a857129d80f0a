package io.taintwatch.encoding;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import io.taintwatch.model.Address;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;

/**
 * Kafka serdes of the taintwatch topics. Null bytes are null values (tombstones) both ways; every other
 * failure is thrown as a {@link DecodeException} naming the topic, never swallowed, so that the topology's
 * deserialization handler can route the record to the DLQ with the reason.
 */
public final class TaintSerdes {
    private TaintSerdes() {}

    /** {@code blocks.<chain>} values ({@link BlockCodec}). */
    public static Serde<Block> blocks() {
        return serde(BlockCodec::encode, BlockCodec::decode, "block");
    }

    /**
     * {@code blocks.<chain>} values, validated but with legs left in the record ({@link BlockCodec#scan}): what the
     * taint topology reads, so that blocks touching no tracked address never have their legs built.
     */
    public static Serde<EncodedBlock> encodedBlocks() {
        return serde(EncodedBlock::bytes, BlockCodec::scan, "block");
    }

    /** {@code taint-flows.<chain>} values ({@link FlowCodec}). */
    public static Serde<TaintFlow> flows() {
        return serde(FlowCodec::encode, FlowCodec::decode, "flow");
    }

    /** {@code watchlist} values (JSON). */
    public static Serde<Seed> seeds() {
        return serde(Json::seedBytes, Json::parseSeed, "seed");
    }

    /** {@code labels} values (JSON). */
    public static Serde<Entity> entities() {
        return serde(Json::entityBytes, Json::parseEntity, "entity");
    }

    /**
     * Keys of {@code blocks.<chain>}: the chain id in decimal ASCII, as ingest writes them. The key is not used, only
     * checked: any other key (a producer writing to the wrong topic, or keying by something else) is a
     * {@link DecodeException}, so the record is dead-lettered.
     */
    public static Deserializer<String> blockKeys(Function<String, ChainId> chainOfTopic) {
        return (topic, bytes) -> {
            String expected = Long.toString(chainOfTopic.apply(topic).id());
            if (bytes == null || !expected.equals(new String(bytes, StandardCharsets.UTF_8))) {
                throw new DecodeException("bad block key in topic " + topic + ": " + (bytes == null ? "none" : "'"
                    + Hex.abbreviate(new String(bytes, StandardCharsets.UTF_8)) + "'") + ", expected the chain id " + expected);
            }
            return null;
        };
    }

    /** Address keys as lower-case {@code 0x} hex in UTF-8 ({@code watchlist}, {@code labels}, {@code taint-flows}). */
    public static Serde<Address> addressKey() {
        return serde(a -> a.toString().getBytes(StandardCharsets.UTF_8),
            b -> Address.parse(new String(b, StandardCharsets.UTF_8)), "address key");
    }

    private static <T> Serde<T> serde(Function<T, byte[]> encode, Function<byte[], T> decode, String what) {
        Serializer<T> ser = (topic, value) -> value == null ? null : encode.apply(value);
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return decode.apply(bytes);
            } catch (RuntimeException e) {
                throw new DecodeException("bad " + what + " in topic " + topic + ": " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }
}
