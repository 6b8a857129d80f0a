package io.taintwatch.encoding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.taintwatch.model.Address;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Leg;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Seed;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;

/**
 * Human-facing JSON of the domain types and the JSON values of the compacted {@code watchlist} (seeds) and
 * {@code labels} (entities) topics. Keys are snake_case and written in a fixed order by hand (not by
 * reflection), so the same value always gives byte-identical JSON; amounts are decimal strings in base
 * units because JSON numbers lose precision beyond 2^53 in most readers.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();

    private static final Set<String> SEED_KEYS = Set.of("address", "source_id", "category", "valid_from", "reference");
    private static final Set<String> ENTITY_KEYS = Set.of("address", "name", "category", "source", "confidence");

    private Json() {}

    /** The one shared mapper configuration (strict on input, ordered maps on output); thread-safe. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private interface Body<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    private static <T> byte[] bytes(T value, Body<T> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            body.write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] flowBytes(TaintFlow f) {
        return bytes(f, Json::writeFlow);
    }

    public static String flow(TaintFlow f) {
        return new String(flowBytes(f), StandardCharsets.UTF_8);
    }

    public static byte[] blockBytes(Block b) {
        return bytes(b, Json::writeBlock);
    }

    public static String block(Block b) {
        return new String(blockBytes(b), StandardCharsets.UTF_8);
    }

    public static byte[] seedBytes(Seed s) {
        return bytes(s, Json::writeSeed);
    }

    public static String seed(Seed s) {
        return new String(seedBytes(s), StandardCharsets.UTF_8);
    }

    public static byte[] entityBytes(Entity e) {
        return bytes(e, Json::writeEntity);
    }

    public static String entity(Entity e) {
        return new String(entityBytes(e), StandardCharsets.UTF_8);
    }

    /** Writes a flow as one JSON object, for callers embedding it (alerts, exports). */
    public static void writeFlow(JsonGenerator g, TaintFlow f) throws IOException {
        ChainKind k = f.chain().kind();
        g.writeStartObject();
        g.writeStringField("id", f.id());
        g.writeStringField("chain", f.chain().name());
        g.writeStringField("tx_hash", String.valueOf(f.txHash()));
        g.writeNumberField("block", f.position().block());
        g.writeNumberField("tx_index", f.position().txIndex());
        g.writeNumberField("sub_index", f.position().subIndex());
        g.writeNumberField("block_time", f.blockTimestamp());
        g.writeStringField("leg_kind", f.legKind() == null ? null : f.legKind().label());
        g.writeStringField("from", f.from() == null ? null : k.format(f.from()));
        g.writeStringField("to", f.to() == null ? null : k.format(f.to()));
        g.writeStringField("asset", f.asset() == null ? null : k.format(f.asset()));
        g.writeStringField("amount", f.amount().toString());
        g.writeObjectFieldStart("tainted");
        for (SourceShare s : f.shares()) {
            g.writeStringField(s.sourceId(), s.amount().toString());
        }
        g.writeEndObject();
        g.writeStringField("tainted_total", f.taintedTotal().toString());
        g.writeObjectFieldStart("hop");
        for (SourceShare s : f.shares()) {
            g.writeNumberField(s.sourceId(), s.hop());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("effective_from");
        for (SourceShare s : f.shares()) {
            g.writeNumberField(s.sourceId(), s.effectiveFrom());
        }
        g.writeEndObject();
        g.writeStringField("policy", f.policy().label());
        g.writeStringField("kind", Labels.flowKind(f.kind()));
        g.writeFieldName("recipient_entity");
        if (f.recipientEntity() == null) {
            g.writeNull();
        } else {
            writeEntity(g, f.recipientEntity(), k);
        }
        g.writeStringField("sender_basis", f.senderBasis() == null ? null : f.senderBasis().label());
        g.writeStringField("asset_status", f.assetStatus() == null ? null : f.assetStatus().label());
        g.writeStringField("asset_reason", f.assetReason());
        g.writeStringField("skip_reason", f.skipped() == null ? null : f.skipped().label());
        g.writeArrayFieldStart("paths");
        for (TaintPath p : f.paths()) {
            g.writeStartObject();
            g.writeStringField("source_id", p.sourceId());
            g.writeStringField("source", p.source() == null ? null : k.format(p.source()));
            g.writeBooleanField("complete", p.complete());
            g.writeArrayFieldStart("hops");
            for (PathHop h : p.hops()) {
                g.writeStartObject();
                g.writeNumberField("block", h.position().block());
                g.writeNumberField("tx_index", h.position().txIndex());
                g.writeNumberField("sub_index", h.position().subIndex());
                g.writeStringField("tx_hash", String.valueOf(h.txHash()));
                g.writeNumberField("time", h.timestamp());
                g.writeStringField("from", k.format(h.from()));
                g.writeStringField("to", k.format(h.to()));
                g.writeStringField("asset", k.format(h.asset()));
                g.writeStringField("amount", h.amount().toString());
                g.writeStringField("tainted", h.tainted().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    public static void writeBlock(JsonGenerator g, Block b) throws IOException {
        ChainKind k = b.chain().kind();
        g.writeStartObject();
        g.writeStringField("chain", b.chain().name());
        g.writeNumberField("chain_id", b.chain().id());
        g.writeNumberField("number", b.number());
        g.writeStringField("hash", b.hash().toString());
        g.writeStringField("parent_hash", b.parentHash().toString());
        g.writeNumberField("timestamp", b.timestamp());
        g.writeArrayFieldStart("legs");
        for (Leg l : b.legs()) {
            g.writeStartObject();
            g.writeNumberField("tx_index", l.position().txIndex());
            g.writeNumberField("sub_index", l.position().subIndex());
            g.writeStringField("kind", l.kind().label());
            g.writeStringField("tx_hash", l.txHash().toString());
            g.writeStringField("from", k.format(l.from()));
            g.writeStringField("to", k.format(l.to()));
            g.writeStringField("asset", k.format(l.asset()));
            g.writeStringField("amount", l.amount().toString());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("balances");
        if (b.balances() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (Balance bal : b.balances()) {
                g.writeStartObject();
                g.writeStringField("address", k.format(bal.address()));
                g.writeStringField("asset", k.format(bal.asset()));
                g.writeStringField("amount", bal.amount().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** A seed; its address in the form of its chains ({@code 0x...} or {@code T...}), which is also how a reader tells its kind. */
    public static void writeSeed(JsonGenerator g, Seed s) throws IOException {
        g.writeStartObject();
        g.writeStringField("address", s.key());
        g.writeStringField("source_id", s.sourceId());
        g.writeStringField("category", s.category().label());
        g.writeNumberField("valid_from", s.validFrom());
        g.writeStringField("reference", s.reference());
        g.writeEndObject();
    }

    /** A label, its address in the form of its own chains (the {@code labels} topic's value). */
    public static void writeEntity(JsonGenerator g, Entity e) throws IOException {
        writeEntity(g, e, e.kind());
    }

    /** A label as part of a record of a chain of {@code kind} (a flow's recipient). */
    public static void writeEntity(JsonGenerator g, Entity e, ChainKind kind) throws IOException {
        g.writeStartObject();
        g.writeStringField("address", kind.format(e.address()));
        g.writeStringField("name", e.name());
        g.writeStringField("category", e.category().label());
        g.writeStringField("source", e.source());
        g.writeNumberField("confidence", e.confidence());
        g.writeEndObject();
    }

    /**
     * Parses a watchlist value. Required: {@code address}, {@code source_id}, {@code category}; {@code valid_from}
     * defaults to 0 (from genesis), {@code reference} to "". Unknown keys are rejected (a misspelt
     * {@code valid_from} must not silently mean "from genesis").
     */
    public static Seed parseSeed(byte[] json) {
        JsonNode n = strictObject(json, "seed", SEED_KEYS);
        Address address = address(n, "seed");
        ChainKind kind = ChainKind.ofText(n.get("address").textValue());
        String where = "seed " + kind.format(address) + ": ";
        String sourceId = text(n, "source_id", true, where);
        Category category = category(n, where);
        long validFrom = 0;
        JsonNode v = n.get("valid_from");
        if (v != null && !v.isNull()) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new IllegalArgumentException(where + "valid_from must be a non-negative block number, got " + v);
            }
            validFrom = v.longValue();
        }
        String reference = text(n, "reference", false, where);
        try {
            return new Seed(address, sourceId, category, validFrom, reference, kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    public static Seed parseSeed(String json) {
        return parseSeed(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a labels value. Required: {@code address}, {@code category}, {@code confidence} (0-100);
     * {@code name} and {@code source} default to "". Unknown keys are rejected.
     */
    public static Entity parseEntity(byte[] json) {
        JsonNode n = strictObject(json, "entity", ENTITY_KEYS);
        Address address = address(n, "entity");
        ChainKind kind = ChainKind.ofText(n.get("address").textValue());
        String where = "entity " + kind.format(address) + ": ";
        String name = text(n, "name", false, where);
        Category category = category(n, where);
        String source = text(n, "source", false, where);
        JsonNode c = n.get("confidence");
        if (c == null || c.isNull()) {
            throw new IllegalArgumentException(where + "confidence is missing");
        }
        if (!c.isIntegralNumber() || !c.canConvertToInt() || c.intValue() < 0 || c.intValue() > 100) {
            throw new IllegalArgumentException(where + "confidence must be an integer 0..100, got " + c);
        }
        return new Entity(address, name, category, source, c.intValue(), kind);
    }

    public static Entity parseEntity(String json) {
        return parseEntity(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a JSON object that may hold only {@code keys}: anything else (not JSON, not an object, an unknown key) is an
     * {@link IllegalArgumentException} starting with {@code what}. The strict reading every compacted-topic value gets.
     */
    public static JsonNode strictObject(byte[] json, String what, Set<String> keys) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object, got " + (n == null ? "nothing" : n.getNodeType()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
            String k = it.next().getKey();
            if (!keys.contains(k)) {
                throw new IllegalArgumentException(what + " has unknown field '" + k + "' (known: " + keys.stream().sorted().toList() + ")");
            }
        }
        return n;
    }

    private static Address address(JsonNode n, String what) {
        JsonNode a = n.get("address");
        if (a == null || !a.isTextual()) {
            throw new IllegalArgumentException(what + ": address is missing or not a string");
        }
        try {
            return Address.parse(a.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Category category(JsonNode n, String where) {
        String c = text(n, "category", true, where);
        try {
            return Category.fromLabel(c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String key, boolean required, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + key + " is missing");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + key + " must be a string, got " + v.getNodeType());
        }
        if (required && v.textValue().isBlank()) {
            throw new IllegalArgumentException(where + key + " is empty");
        }
        return v.textValue();
    }
}
