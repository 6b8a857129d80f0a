package io.taintwatch.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertHeadline;
import io.taintwatch.model.AlertHop;
import io.taintwatch.model.AlertLookalike;
import io.taintwatch.model.AlertPath;
import io.taintwatch.model.AlertPolicy;
import io.taintwatch.model.AlertRetro;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.AlertSeen;
import io.taintwatch.model.AlertSkipped;
import io.taintwatch.model.AlertSource;
import io.taintwatch.model.AlertStatus;
import io.taintwatch.model.AlertTotal;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.Severity;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.model.TokenStatus;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert JSON (schema {@code alert.schema.json}, documented in docs/alert-schema.md). Field by field, no
 * reflection, so the layout is exactly what the schema says. Base-unit amounts are decimal strings (they
 * exceed 2^53); shares are exact decimal strings of parts per million.
 */
public final class AlertJson {
    /** Classpath location of the JSON Schema of one alert. */
    public static final String SCHEMA_RESOURCE = "/io/taintwatch/alerts/alert.schema.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {}

    public static byte[] toBytes(Alert a) {
        try {
            return MAPPER.writeValueAsBytes(toNode(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert " + a.id(), e);
        }
    }

    public static String toJson(Alert a) {
        return new String(toBytes(a), StandardCharsets.UTF_8);
    }

    public static Alert parse(byte[] json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("invalid alert JSON: " + e.getMessage(), e);
        }
    }

    public static Alert parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Addresses and token contracts in the form of the alert's chain ({@code 0x...}, or {@code T...} on Tron). */
    public static ObjectNode toNode(Alert a) {
        ChainKind k = a.chain().kind();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("schemaVersion", a.schemaVersion());
        n.put("id", a.id());
        n.put("version", a.version());
        n.put("dedupKey", a.dedupKey());
        n.put("rule", a.rule().label());
        n.put("severity", a.severity().label());
        ArrayNode reasons = n.putArray("reasons");
        a.reasons().forEach(reasons::add);
        n.put("recommendedAction", a.recommendedAction());
        n.put("status", a.status().label());
        n.set("chain", chain(a.chain()));
        n.put("legId", a.legId());
        n.put("block", a.position().block());
        n.set("position", position(a.position()));
        n.put("blockTimestamp", a.blockTimestamp());
        n.put("txHash", a.txHash().toString());
        n.put("subject", k.format(a.subject()));
        n.put("from", a.from() == null ? null : k.format(a.from()));
        n.put("to", a.to() == null ? null : k.format(a.to()));
        n.set("fromEntity", entity(a.fromEntity(), k));
        n.set("toEntity", entity(a.toEntity(), k));
        n.put("asset", k.format(a.asset()));
        n.set("amount", amount(a.amount()));
        n.set("tainted", amount(a.tainted()));
        n.put("share", share(a.sharePpm()));
        n.put("sharePpm", a.sharePpm());
        ArrayNode sources = n.putArray("sources");
        for (AlertSource s : a.sources()) {
            ObjectNode o = sources.addObject();
            o.put("sourceId", s.sourceId());
            o.put("address", s.address() == null ? null : k.format(s.address()));
            o.put("category", s.category() == null ? null : s.category().label());
            o.put("reference", s.reference());
            o.put("role", s.role());
            o.set("tainted", amount(s.tainted()));
            o.put("share", share(s.sharePpm()));
            o.put("sharePpm", s.sharePpm());
            o.put("hop", s.hop());
            o.put("effectiveFrom", s.effectiveFrom());
        }
        if (a.path() == null) {
            n.putNull("path");
        } else {
            ObjectNode p = n.putObject("path");
            p.put("sourceId", a.path().sourceId());
            p.put("source", a.path().source() == null ? null : k.format(a.path().source()));
            p.put("complete", a.path().complete());
            ArrayNode hops = p.putArray("hops");
            for (AlertHop h : a.path().hops()) {
                ObjectNode o = hops.addObject();
                o.set("position", position(h.position()));
                o.put("txHash", h.txHash().toString());
                o.put("timestamp", h.timestamp());
                o.put("from", k.format(h.from()));
                o.put("to", k.format(h.to()));
                o.put("asset", k.format(h.asset()));
                o.set("amount", amount(h.amount()));
                o.set("tainted", amount(h.tainted()));
                o.put("share", share(h.sharePpm()));
                o.put("sharePpm", h.sharePpm());
            }
        }
        if (a.policy() == null) {
            n.putNull("policy");
        } else {
            ObjectNode p = n.putObject("policy");
            p.put("kind", a.policy().kind().label());
            ObjectNode params = p.putObject("parameters");
            a.policy().parameters().forEach(params::put);
            p.put("balanceBasis", a.policy().balanceBasis() == null ? null : a.policy().balanceBasis().label());
        }
        n.put("count", a.count());
        ArrayNode totals = n.putArray("totals");
        for (AlertTotal t : a.totals()) {
            ObjectNode o = totals.addObject();
            o.put("asset", k.format(t.asset()));
            o.set("amount", amount(t.amount()));
            o.set("tainted", amount(t.tainted()));
        }
        n.set("firstSeen", seen(a.firstSeen()));
        n.set("lastSeen", seen(a.lastSeen()));
        if (a.headline() != null) {
            AlertHeadline h = a.headline();
            ObjectNode o = n.putObject("headline");
            o.put("legId", h.legId());
            o.set("position", position(h.position()));
            o.put("blockTimestamp", h.blockTimestamp());
            o.put("txHash", h.txHash().toString());
            o.put("from", h.from().toString());
            o.put("to", h.to().toString());
            o.put("asset", h.asset().toString());
            o.set("amount", amount(h.amount()));
            o.set("tainted", amount(h.tainted()));
        }
        if (a.skipped() != null) {
            n.set("skipped", skipped(a.skipped()));
        }
        if (a.lookalike() != null) {
            AlertLookalike l = a.lookalike();
            ObjectNode o = n.putObject("lookalike");
            o.put("address", l.address().toString());
            o.put("lookalikeOf", l.lookalikeOf().toString());
            o.put("holder", l.holder().toString());
            o.put("prefixDigits", l.prefixDigits());
            o.put("suffixDigits", l.suffixDigits());
            o.put("kind", l.kind());
            o.set("real", transfer(l.real()));
            o.set("poisoning", l.poisoning() == null ? MAPPER.nullNode() : transfer(l.poisoning()));
        }
        if (a.retro() != null) {
            // only on retro-screening alerts: live alerts keep exactly the layout they always had
            AlertRetro r = a.retro();
            n.put("retroactive", true);
            n.put("designatedAt", r.designatedAt().toString());
            ObjectNode o = n.putObject("retroScreening");
            o.put("id", r.screeningId());
            o.put("fromBlock", r.fromBlock());
            o.put("toBlock", r.toBlock());
            ArrayNode seeds = o.putArray("seeds");
            r.seeds().forEach(s -> seeds.add(k.format(s)));
            o.put("designatedAtBasis", r.basis());
        }
        return n;
    }

    /** Parts per million as an exact decimal fraction ({@code 500000} is {@code "0.5"}). */
    public static String share(long ppm) {
        return ppm == 0 ? "0" : new BigDecimal(BigInteger.valueOf(ppm), 6).stripTrailingZeros().toPlainString();
    }

    /** A chain as the alert JSON writes it: {@code {id, name[, kind]}}. */
    public static ObjectNode chain(ChainId c) {
        ObjectNode chain = MAPPER.createObjectNode();
        chain.put("id", c.id());
        chain.put("name", c.name());
        if (c.kind() != ChainKind.EVM) {
            // alerts of EVM chains keep the layout they always had: no kind means evm
            chain.put("kind", c.kind().label());
        }
        return chain;
    }

    /** A block position: {@code {block, txIndex, subIndex}}. */
    public static ObjectNode position(Position p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("block", p.block());
        o.put("txIndex", p.txIndex());
        o.put("subIndex", p.subIndex());
        return o;
    }

    /** A label, its address in the chain's form, or JSON null. */
    public static JsonNode entity(Entity e, ChainKind k) {
        if (e == null) {
            return MAPPER.nullNode();
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("address", k.format(e.address()));
        o.put("name", e.name());
        o.put("category", e.category().label());
        o.put("source", e.source());
        o.put("confidence", e.confidence());
        return o;
    }

    /** An amount as the alert JSON writes it: {@code {raw, formatted, symbol, decimals, known}} and {@code status} when judged. */
    public static ObjectNode amount(TokenAmount t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("raw", t.raw().toString());
        o.put("formatted", t.formatted());
        o.put("symbol", t.symbol());
        o.put("decimals", t.decimals());
        o.put("known", t.known());
        if (t.status() != null) {
            o.put("status", t.status().label());
        }
        return o;
    }

    private static ObjectNode skipped(AlertSkipped s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("legs", s.legs());
        ObjectNode reasons = o.putObject("byReason");
        s.byReason().forEach((r, n) -> reasons.put(r.label(), n));
        ArrayNode assets = o.putArray("assets");
        for (AlertSkipped.SkippedAsset x : s.assets()) {
            ObjectNode a = assets.addObject();
            a.put("asset", x.asset().toString());
            a.put("reason", x.reason().label());
            a.put("symbol", x.symbol());
            a.put("name", x.name());
            a.put("status", x.status() == null ? null : x.status().label());
            a.put("assetReason", x.assetReason());
            a.put("legs", x.legs());
        }
        o.put("otherAssetLegs", s.otherAssetLegs());
        return o;
    }

    private static ObjectNode transfer(AlertLookalike.Transfer t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("txHash", t.txHash().toString());
        o.put("block", t.block());
        o.put("blockTimestamp", t.blockTimestamp());
        o.put("from", t.from().toString());
        o.put("to", t.to().toString());
        o.put("asset", t.asset().toString());
        o.set("amount", amount(t.amount()));
        return o;
    }

    private static ObjectNode seen(AlertSeen s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("block", s.block());
        o.put("blockTimestamp", s.blockTimestamp());
        o.put("txHash", s.txHash().toString());
        o.set("position", position(s.position()));
        return o;
    }

    // ---- reading

    public static Alert fromNode(JsonNode n) {
        int schema = req(n, "schemaVersion").asInt();
        if (schema != Alert.SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported alert schemaVersion " + schema);
        }
        List<String> reasons = new ArrayList<>();
        req(n, "reasons").forEach(r -> reasons.add(r.asText()));
        JsonNode chain = req(n, "chain");
        ChainKind kind = chain.hasNonNull("kind") ? ChainKind.fromLabel(chain.get("kind").asText()) : ChainKind.EVM;
        List<AlertSource> sources = new ArrayList<>();
        for (JsonNode o : req(n, "sources")) {
            sources.add(new AlertSource(text(o, "sourceId"), optAddress(o, "address"),
                o.hasNonNull("category") ? Category.fromLabel(o.get("category").asText()) : null,
                text(o, "reference"), text(o, "role"), readAmount(req(o, "tainted")), req(o, "sharePpm").asLong(),
                req(o, "hop").asInt(), req(o, "effectiveFrom").asLong()));
        }
        AlertPath path = null;
        JsonNode p = n.get("path");
        if (p != null && !p.isNull()) {
            List<AlertHop> hops = new ArrayList<>();
            for (JsonNode h : req(p, "hops")) {
                hops.add(new AlertHop(readPosition(req(h, "position")), Hash32.parse(text(h, "txHash")), req(h, "timestamp").asLong(),
                    Address.parse(text(h, "from")), Address.parse(text(h, "to")), Asset.parse(text(h, "asset")),
                    readAmount(req(h, "amount")), readAmount(req(h, "tainted")), req(h, "sharePpm").asLong()));
            }
            path = new AlertPath(text(p, "sourceId"), optAddress(p, "source"), req(p, "complete").asBoolean(), hops);
        }
        AlertPolicy policy = null;
        JsonNode pol = n.get("policy");
        if (pol != null && !pol.isNull()) {
            Map<String, String> params = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = req(pol, "parameters").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            BalanceBasis basis = null;
            if (pol.hasNonNull("balanceBasis")) {
                basis = BalanceBasis.fromLabel(pol.get("balanceBasis").asText());
            }
            policy = new AlertPolicy(PolicyKind.fromLabel(text(pol, "kind")), params, basis);
        }
        List<AlertTotal> totals = new ArrayList<>();
        for (JsonNode t : req(n, "totals")) {
            totals.add(new AlertTotal(Asset.parse(text(t, "asset")), readAmount(req(t, "amount")), readAmount(req(t, "tainted"))));
        }
        AlertRetro retro = null;
        if (n.path("retroactive").asBoolean(false)) {
            JsonNode r = req(n, "retroScreening");
            List<Address> seeds = new ArrayList<>();
            req(r, "seeds").forEach(s -> seeds.add(Address.parse(s.asText())));
            retro = new AlertRetro(text(r, "id"), java.time.LocalDate.parse(text(n, "designatedAt")), text(r, "designatedAtBasis"),
                req(r, "fromBlock").asLong(), req(r, "toBlock").asLong(), seeds);
        }
        AlertHeadline headline = null;
        JsonNode h = n.get("headline");
        if (h != null && !h.isNull()) {
            headline = new AlertHeadline(text(h, "legId"), readPosition(req(h, "position")), req(h, "blockTimestamp").asLong(),
                Hash32.parse(text(h, "txHash")), Address.parse(text(h, "from")), Address.parse(text(h, "to")), Asset.parse(text(h, "asset")),
                readAmount(req(h, "amount")), readAmount(req(h, "tainted")));
        }
        AlertSkipped skipped = n.hasNonNull("skipped") ? readSkipped(n.get("skipped")) : null;
        AlertLookalike lookalike = null;
        JsonNode l = n.get("lookalike");
        if (l != null && !l.isNull()) {
            lookalike = new AlertLookalike(Address.parse(text(l, "address")), Address.parse(text(l, "lookalikeOf")), Address.parse(text(l, "holder")),
                req(l, "prefixDigits").asInt(), req(l, "suffixDigits").asInt(), text(l, "kind"), readTransfer(req(l, "real")),
                l.hasNonNull("poisoning") ? readTransfer(l.get("poisoning")) : null);
        }
        return new Alert(text(n, "id"), schema, req(n, "version").asLong(), text(n, "dedupKey"),
            AlertRule.fromLabel(text(n, "rule")), Severity.fromLabel(text(n, "severity")), reasons,
            text(n, "recommendedAction"), AlertStatus.fromLabel(text(n, "status")),
            new ChainId(req(chain, "id").asLong(), text(chain, "name"), kind), text(n, "legId"),
            readPosition(req(n, "position")), req(n, "blockTimestamp").asLong(), Hash32.parse(text(n, "txHash")),
            Address.parse(text(n, "subject")), Address.parse(text(n, "from")), Address.parse(text(n, "to")),
            readEntity(n.get("fromEntity"), kind), readEntity(n.get("toEntity"), kind), Asset.parse(text(n, "asset")),
            readAmount(req(n, "amount")), readAmount(req(n, "tainted")), req(n, "sharePpm").asLong(),
            sources, path, policy, req(n, "count").asLong(), totals, readSeen(req(n, "firstSeen")), readSeen(req(n, "lastSeen")), retro,
            headline, skipped, lookalike);
    }

    private static AlertSkipped readSkipped(JsonNode n) {
        Map<SkipReason, Long> byReason = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = req(n, "byReason").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            byReason.put(SkipReason.fromLabel(e.getKey()), e.getValue().asLong());
        }
        List<AlertSkipped.SkippedAsset> assets = new ArrayList<>();
        for (JsonNode a : req(n, "assets")) {
            assets.add(new AlertSkipped.SkippedAsset(Asset.parse(text(a, "asset")), SkipReason.fromLabel(text(a, "reason")), text(a, "symbol"),
                text(a, "name"), a.hasNonNull("status") ? TokenStatus.fromLabel(a.get("status").asText()) : null, text(a, "assetReason"),
                req(a, "legs").asLong()));
        }
        return new AlertSkipped(req(n, "legs").asLong(), byReason, assets, req(n, "otherAssetLegs").asLong());
    }

    private static AlertLookalike.Transfer readTransfer(JsonNode n) {
        return new AlertLookalike.Transfer(Hash32.parse(text(n, "txHash")), req(n, "block").asLong(), req(n, "blockTimestamp").asLong(),
            Address.parse(text(n, "from")), Address.parse(text(n, "to")), Asset.parse(text(n, "asset")), readAmount(req(n, "amount")));
    }

    private static JsonNode req(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        return req(n, field).asText();
    }

    private static Address optAddress(JsonNode n, String field) {
        return n.hasNonNull(field) ? Address.parse(n.get(field).asText()) : null;
    }

    private static Position readPosition(JsonNode n) {
        return new Position(req(n, "block").asLong(), req(n, "txIndex").asInt(), req(n, "subIndex").asInt());
    }

    private static TokenAmount readAmount(JsonNode n) {
        return new TokenAmount(new BigInteger(text(n, "raw")), req(n, "decimals").asInt(), text(n, "symbol"), req(n, "known").asBoolean(),
            n.hasNonNull("status") ? TokenStatus.fromLabel(n.get("status").asText()) : null);
    }

    private static Entity readEntity(JsonNode n, ChainKind kind) {
        if (n == null || n.isNull()) {
            return null;
        }
        return new Entity(Address.parse(text(n, "address")), text(n, "name"), Category.fromLabel(text(n, "category")),
            text(n, "source"), req(n, "confidence").asInt(), kind);
    }

    private static AlertSeen readSeen(JsonNode n) {
        return new AlertSeen(req(n, "block").asLong(), req(n, "blockTimestamp").asLong(), Hash32.parse(text(n, "txHash")),
            readPosition(req(n, "position")));
    }
}
