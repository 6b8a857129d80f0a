package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.TronAddress;
import java.math.BigInteger;

/** Field readers for java-tron's answers; a missing or malformed value is an {@link IllegalArgumentException} naming the field. */
final class TronJson {
    private TronJson() {}

    static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isValueNode()) {
            throw new IllegalArgumentException(where + ": '" + field + "' is missing");
        }
        return v.asText();
    }

    static String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A hex quantity ({@code 0x1a}) of the JSON-RPC side. */
    static long quantity(JsonNode n, String field, String where) {
        try {
            return Quantity.asLong(text(n, field, where));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(where + ": '" + field + "' is not a quantity: " + e.getMessage(), e);
        }
    }

    static BigInteger bigQuantity(JsonNode n, String field, String where) {
        String s = optText(n, field);
        try {
            BigInteger b = s == null ? BigInteger.ZERO : Quantity.big(s);
            return b == null ? BigInteger.ZERO : b;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + field + "' is not a quantity: '" + Hex.abbreviate(s) + "'", e);
        }
    }

    /** A JSON number of the HTTP API (sun, block numbers); absent means 0, as protobuf's JSON leaves defaults out. */
    static long number(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(where + ": '" + field + "' is not a whole number: " + Hex.abbreviate(v.toString()));
        }
        return v.longValue();
    }

    /**
     * A TRC-10 token named by its id's decimal text ({@code 1002000}). Blocks from before java-tron's
     * {@code allowSameTokenName} proposal name a TRC-10 token by its name instead, which this cannot follow: refused.
     */
    static Asset trc10(String id, String field, String where) {
        if (id == null || id.isEmpty() || id.length() > 19 || !id.chars().allMatch(c -> c >= '0' && c <= '9') || id.charAt(0) == '0') {
            throw new IllegalArgumentException(where + ": '" + field + "' is not a TRC-10 token id: '" + Hex.abbreviate(String.valueOf(id))
                + "' (a token named rather than numbered predates allowSameTokenName and is not supported)");
        }
        return Asset.trc10(new BigInteger(id));
    }

    static Hash32 hash(JsonNode n, String field, String where) {
        String s = text(n, field, where);
        try {
            return Hash32.parse(s.startsWith("0x") ? s : "0x" + s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + field + "': " + e.getMessage(), e);
        }
    }

    /** An address in any of java-tron's hex forms ({@code 41...} of the HTTP API, {@code 0x...} of JSON-RPC); null when absent. */
    static Address optAddress(JsonNode n, String field, String where) {
        String s = optText(n, field);
        if (s == null || s.isEmpty() || s.equals("0x")) {
            return null;
        }
        try {
            return TronAddress.fromHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + field + "': " + e.getMessage(), e);
        }
    }

    static Address address(JsonNode n, String field, String where) {
        Address a = optAddress(n, field, where);
        if (a == null) {
            throw new IllegalArgumentException(where + ": '" + field + "' is missing");
        }
        return a;
    }
}
