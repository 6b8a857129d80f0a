package io.taintwatch.tokens;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.model.ChainId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * JSON of the token topics. {@code token-registry} values (declared tokens, written by {@code taintwatch tokens import}):
 * <pre>{"chain":"ethereum","chain_id":1,"address":"0x…","symbol":"USDT","name":"Tether USD","decimals":6,
 *  "status":"verified","reason":"","source":"tokenlist:Uniswap Labs Default 22.21.0"}</pre>
 * Keys in this order, snake_case, byte-identical for equal tokens; parsing is strict (unknown keys are refused).
 * {@code tokens} values (metadata ingest read by {@code eth_call}): {@code {chain, chainId, token, symbol, name, decimals}},
 * {@code token} being a contract or {@code native}; read by {@link #parseObserved}.
 */
public final class TokenJson {
    private static final Set<String> KEYS = Set.of("chain", "chain_id", "address", "symbol", "name", "decimals", "status", "reason", "source");
    private static final Set<String> OBSERVED_KEYS = Set.of("chain", "chainId", "token", "symbol", "name", "decimals");

    private TokenJson() {}

    public static byte[] bytes(Token t) {
        return write(g -> {
            g.writeStringField("chain", t.chain().name());
            g.writeNumberField("chain_id", t.chain().id());
            g.writeStringField("address", t.address().toString());
            g.writeStringField("symbol", t.symbol());
            g.writeStringField("name", t.name());
            writeDecimals(g, t.decimals());
            g.writeStringField("status", t.status().label());
            g.writeStringField("reason", t.reason());
            g.writeStringField("source", t.source());
        });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object with the given fields, in their order. */
    private static byte[] write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeDecimals(JsonGenerator g, Integer decimals) throws IOException {
        if (decimals == null) {
            g.writeNullField("decimals");
        } else {
            g.writeNumberField("decimals", decimals);
        }
    }

    /** Parses a {@code token-registry} value; throws {@link IllegalArgumentException} naming the token and the reason. */
    public static Token parse(byte[] json) {
        JsonNode n = Json.strictObject(json, "token", KEYS);
        String where = "token: ";
        Address address = address(n.get("address"), "address", where);
        where = "token " + address + ": ";
        ChainId chain = chain(n.get("chain"), n.get("chain_id"), where);
        TokenStatus status;
        try {
            status = TokenStatus.fromLabel(text(n, "status", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        // the record's own checks name the token
        return new Token(chain, address, text(n, "symbol", where), text(n, "name", where), decimals(n.get("decimals"), where), status,
            text(n, "reason", where), text(n, "source", where));
    }

    /**
     * Parses a {@code tokens} value written by ingest. Returns null for the chain's native asset ({@code "token":"native"}),
     * whose symbol, name and decimals {@link #observedNative} reads.
     */
    public static Token parseObserved(byte[] json) {
        JsonNode n = Json.strictObject(json, "token metadata", OBSERVED_KEYS);
        JsonNode token = n.get("token");
        if (token != null && "native".equals(token.asText())) {
            return null;
        }
        Address address = address(token, "token", "token metadata: ");
        String where = "token metadata " + address + ": ";
        return Token.observed(chain(n.get("chain"), n.get("chainId"), where), address, text(n, "symbol", where), text(n, "name", where),
            decimals(n.get("decimals"), where), "ingest");
    }

    /** The chain, symbol, name and decimals of a {@code tokens} value for the native asset. */
    public record NativeMetadata(ChainId chain, String symbol, String name, Integer decimals) {
    }

    /** A native asset's metadata in the {@code tokens} topic's form ({@code "token":"native"}). */
    public static byte[] nativeBytes(NativeMetadata m) {
        return write(g -> {
            g.writeStringField("chain", m.chain().name());
            g.writeNumberField("chainId", m.chain().id());
            g.writeStringField("token", "native");
            g.writeStringField("symbol", m.symbol());
            g.writeStringField("name", m.name());
            writeDecimals(g, m.decimals());
        });
    }

    public static NativeMetadata observedNative(byte[] json) {
        JsonNode n = Json.strictObject(json, "token metadata", OBSERVED_KEYS);
        String where = "token metadata native: ";
        return new NativeMetadata(chain(n.get("chain"), n.get("chainId"), where), text(n, "symbol", where), text(n, "name", where),
            decimals(n.get("decimals"), where));
    }

    private static Address address(JsonNode v, String key, String where) {
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + key + " is missing or not a string");
        }
        try {
            return Address.parse(v.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    private static ChainId chain(JsonNode name, JsonNode id, String where) {
        if (name == null || !name.isTextual() || id == null || !id.canConvertToLong()) {
            throw new IllegalArgumentException(where + "chain (name) and chain id (number) are required");
        }
        try {
            return new ChainId(id.longValue(), name.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + key + " must be a string, got " + v.getNodeType());
        }
        return v.textValue();
    }

    private static Integer decimals(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 77) {
            throw new IllegalArgumentException(where + "decimals must be an integer 0..77 or null, got " + v);
        }
        return v.intValue();
    }
}
