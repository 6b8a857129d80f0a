package io.taintwatch.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taintwatch.encoding.TaintSerdes;
import io.taintwatch.model.Alert;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Serdes of the alert service's own values and of its JSON input topics; a bad value is a {@link SerializationException}. */
public final class AlertSerdes {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertSerdes() {}

    public static Serde<Alert> alert() {
        return Serdes.serdeFrom((topic, a) -> a == null ? null : AlertJson.toBytes(a), (topic, b) -> read(topic, b, AlertJson::parse));
    }

    /** {@code watchlist} values: the project's seed JSON. */
    public static Serde<Seed> seed() {
        return TaintSerdes.seeds();
    }

    /** {@code labels} values: the project's entity JSON. */
    public static Serde<Entity> entity() {
        return TaintSerdes.entities();
    }

    public static Serde<TokenInfo> token() {
        return Serdes.serdeFrom((topic, t) -> t == null ? null : InputJson.write(t), (topic, b) -> read(topic, b, InputJson::token));
    }

    /** A set of source ids as a JSON array (values of the {@code tracked} topic). */
    public static Serde<Set<String>> sourceSet() {
        return Serdes.serdeFrom((topic, s) -> {
            if (s == null) {
                return null;
            }
            ArrayNode a = MAPPER.createArrayNode();
            new TreeSet<>(s).forEach(a::add);
            try {
                return MAPPER.writeValueAsBytes(a);
            } catch (IOException e) {
                throw new SerializationException(e);
            }
        }, (topic, b) -> read(topic, b, bytes -> {
            try {
                JsonNode n = MAPPER.readTree(bytes);
                if (n == null || !n.isArray()) {
                    throw new IllegalArgumentException("expected a JSON array of source ids");
                }
                Set<String> s = new TreeSet<>();
                n.forEach(x -> s.add(x.asText()));
                return Set.copyOf(s);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }));
    }

    private static <T> T read(String topic, byte[] b, Function<byte[], T> f) {
        if (b == null) {
            return null;
        }
        try {
            return f.apply(b);
        } catch (RuntimeException e) {
            throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
