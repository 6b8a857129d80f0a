package io.taintwatch.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;

import java.io.IOException;

/**
 * Readers for the JSON values of the compacted input topics: {@code watchlist} (Seed), {@code labels} (Entity)
 * and {@code tokens} (TokenInfo). Field names are the record component names; categories are labels
 * ({@code exchange-deposit}). A bad value is an {@link IllegalArgumentException} naming the topic and reason.
 */
public final class InputJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InputJson() {}

    public static Seed seed(byte[] json) {
        JsonNode n = read("watchlist", json);
        try {
            return new Seed(Address.parse(text(n, "address")), text(n, "sourceId"), Category.fromLabel(text(n, "category")),
                n.path("validFrom").asLong(0), n.path("reference").asText(""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("watchlist: bad seed: " + e.getMessage(), e);
        }
    }

    public static Entity entity(byte[] json) {
        JsonNode n = read("labels", json);
        try {
            return new Entity(Address.parse(text(n, "address")), n.path("name").asText(""), Category.fromLabel(text(n, "category")),
                n.path("source").asText(""), n.path("confidence").asInt(100));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("labels: bad entity: " + e.getMessage(), e);
        }
    }

    public static TokenInfo token(byte[] json) {
        JsonNode n = read("tokens", json);
        try {
            if (!n.path("decimals").canConvertToInt()) {
                throw new IllegalArgumentException("field 'decimals' is missing or not an integer");
            }
            return new TokenInfo(text(n, "symbol"), n.get("decimals").asInt(), n.path("name").asText(""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tokens: bad token metadata: " + e.getMessage(), e);
        }
    }

    public static byte[] write(Seed s) {
        return bytes(MAPPER.createObjectNode().put("address", s.address().toString()).put("sourceId", s.sourceId())
            .put("category", s.category().label()).put("validFrom", s.validFrom()).put("reference", s.reference()));
    }

    public static byte[] write(Entity e) {
        return bytes(MAPPER.createObjectNode().put("address", e.address().toString()).put("name", e.name())
            .put("category", e.category().label()).put("source", e.source()).put("confidence", e.confidence()));
    }

    public static byte[] write(TokenInfo t) {
        return bytes(MAPPER.createObjectNode().put("symbol", t.symbol()).put("decimals", t.decimals()).put("name", t.name()));
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String topic, byte[] json) {
        if (json == null) {
            throw new IllegalArgumentException(topic + ": empty value");
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException(topic + ": value is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException(topic + ": value is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v.asText();
    }
}
