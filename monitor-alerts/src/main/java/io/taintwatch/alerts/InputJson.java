package io.taintwatch.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The JSON values of the compacted {@code tokens} topic written by ingest: {@code {"symbol","decimals","name"}}.
 * (Seeds and labels use the project's {@code io.taintwatch.encoding.Json}.) A bad value is an
 * {@link IllegalArgumentException} naming the topic and reason.
 */
public final class InputJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InputJson() {}

    /** The token's metadata, or null when ingest could not learn it (no symbol or decimals: an NFT, a reverting call). */
    public static TokenInfo token(byte[] json) {
        JsonNode n = read("tokens", json);
        try {
            JsonNode symbol = n.get("symbol");
            if (n.path("decimals").isNull() || n.path("decimals").isMissingNode() || symbol == null || symbol.isNull()) {
                return null;
            }
            if (!n.path("decimals").canConvertToInt()) {
                throw new IllegalArgumentException("field 'decimals' is not an integer");
            }
            return new TokenInfo(text(n, "symbol"), n.get("decimals").asInt(), n.path("name").asText(""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tokens: bad token metadata: " + e.getMessage(), e);
        }
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
