package io.taintwatch.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The JSON values of the compacted {@code tokens} topic written by ingest: {@code {"symbol","decimals","name",...}}
 * (other fields, such as {@code chain} and {@code token}, are ignored; {@code symbol} and {@code decimals} may be null).
 * (Seeds and labels use the project's {@code io.taintwatch.encoding.Json}.) A bad value is an
 * {@link IllegalArgumentException} naming the topic and reason.
 */
public final class InputJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InputJson() {}

    public static TokenInfo token(byte[] json) {
        JsonNode n = read("tokens", json);
        try {
            JsonNode d = n.get("decimals");
            Integer decimals = null;
            if (d != null && !d.isNull()) {
                if (!d.canConvertToInt() || !d.isIntegralNumber()) {
                    throw new IllegalArgumentException("field 'decimals' is not an integer");
                }
                decimals = d.asInt();
            }
            JsonNode sym = n.get("symbol");
            return new TokenInfo(sym == null || sym.isNull() ? "" : sym.asText(), decimals, n.path("name").asText(""));
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

}
