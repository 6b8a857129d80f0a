package io.taintwatch.alerts.exposure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.alerts.AlertJson;
import io.taintwatch.alerts.rules.Lookups;
import io.taintwatch.exposure.Exposure;
import io.taintwatch.exposure.ReceivedTaint;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertSource;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Position;

/**
 * The JSON of an exposure and of a screening (docs/exposure-api.md; schemas {@link #EXPOSURE_SCHEMA} and
 * {@link #SCREENING_SCHEMA}), written node by node like the alert JSON, with its conventions: amounts as exact base-unit
 * strings with symbol and decimals, shares in parts per million and as exact decimals, addresses in the chain's form.
 */
public final class ExposureJson {
    public static final int SCHEMA_VERSION = 1;
    public static final String EXPOSURE_SCHEMA = "/io/taintwatch/alerts/exposure.schema.json";
    public static final String SCREENING_SCHEMA = "/io/taintwatch/alerts/screening.schema.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExposureJson() {}

    public static ObjectNode exposure(Exposure e, Lookups lookups) {
        ChainId chain = e.chain();
        ChainKind k = chain.kind();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("schemaVersion", SCHEMA_VERSION);
        n.set("chain", AlertJson.chain(chain));
        n.put("address", chain.format(e.address()));
        n.put("asOfBlock", e.asOfBlock());
        ArrayNode labels = n.putArray("labels");
        if (e.label() != null) {
            labels.add(AlertJson.entity(e.label(), k));
        }
        if (e.seed() == null) {
            n.putNull("seed");
        } else {
            ObjectNode s = n.putObject("seed");
            s.put("sourceId", e.seed().sourceId());
            s.put("category", e.seed().category().label());
            s.put("reference", e.seed().reference());
            s.put("validFrom", e.seed().validFrom());
            s.put("effectiveFrom", e.seed().effectiveFrom());
        }
        n.put("directExposure", e.seed() != null);
        n.put("tracked", e.tracked());
        ArrayNode held = n.putArray("holdings");
        for (Exposure.Held h : e.holdings()) {
            ObjectNode o = held.addObject();
            o.put("asset", k.format(h.asset()));
            o.set("balance", AlertJson.amount(lookups.amount(chain, h.asset(), h.balance())));
            o.put("balanceBasis", h.basis().label());
            o.set("source", source(e.sources().get(h.source()), h.source(), k));
            o.set("amount", AlertJson.amount(lookups.amount(chain, h.asset(), h.amount())));
            o.put("share", AlertJson.share(h.sharePpm()));
            o.put("sharePpm", h.sharePpm());
            o.put("minHop", h.minHop());
            ArrayNode ev = o.putArray("evidence");
            for (Exposure.Evidence x : h.evidence()) {
                ObjectNode eo = ev.addObject();
                eo.set("tainted", AlertJson.amount(lookups.amount(chain, h.asset(), x.tainted())));
                eo.put("complete", x.complete());
                ArrayNode path = eo.putArray("path");
                for (PathHop p : x.path()) {
                    path.add(hop(p, chain, lookups));
                }
            }
        }
        ArrayNode received = n.putArray("received");
        for (ReceivedTaint r : e.received()) {
            ObjectNode o = received.addObject();
            o.set("source", source(e.sources().get(r.source()), r.source(), k));
            o.put("asset", k.format(r.asset()));
            o.set("amount", AlertJson.amount(lookups.amount(chain, r.asset(), r.amount())));
            o.put("flows", r.flows());
            o.put("minHop", r.minHop());
            o.set("first", flow(r.first(), r.firstTx()));
            o.set("last", flow(r.last(), r.lastTx()));
            ArrayNode ev = o.putArray("evidence");
            r.latestTxs().forEach(h -> ev.add(h.toString()));
        }
        n.set("firstExposure", e.first() == null ? MAPPER.nullNode() : flow(e.first().position(), e.first().txHash()));
        n.set("lastExposure", e.last() == null ? MAPPER.nullNode() : flow(e.last().position(), e.last().txHash()));
        return n;
    }

    public static ObjectNode screening(Screening s, ChainId chain, Lookups lookups) {
        ChainKind k = chain.kind();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("schemaVersion", SCHEMA_VERSION);
        n.set("chain", AlertJson.chain(chain));
        n.put("asOfBlock", s.asOfBlock());
        ObjectNode t = n.putObject("transfer");
        t.put("from", chain.format(s.from()));
        t.put("to", chain.format(s.to()));
        t.put("asset", k.format(s.asset()));
        t.set("amount", AlertJson.amount(lookups.amount(chain, s.asset(), s.amount())));
        if (s.severity() == null) {
            n.putNull("severity");
        } else {
            n.put("severity", s.severity().label());
        }
        n.put("alert", s.severity() != null);
        ArrayNode findings = n.putArray("findings");
        for (Alert a : s.findings()) {
            ObjectNode f = findings.addObject();
            f.put("rule", a.rule().label());
            f.put("severity", a.severity().label());
            ArrayNode reasons = f.putArray("reasons");
            a.reasons().forEach(reasons::add);
            f.put("recommendedAction", a.recommendedAction());
            f.put("subject", chain.format(a.subject()));
            f.set("tainted", AlertJson.amount(a.tainted()));
            f.put("share", AlertJson.share(a.sharePpm()));
            f.put("sharePpm", a.sharePpm());
            ArrayNode sources = f.putArray("sources");
            for (AlertSource src : a.sources()) {
                ObjectNode so = sources.addObject();
                so.put("sourceId", src.sourceId());
                so.put("category", src.category() == null ? null : src.category().label());
                so.put("reference", src.reference());
                so.put("role", src.role());
                so.set("tainted", AlertJson.amount(src.tainted()));
                so.put("sharePpm", src.sharePpm());
                so.put("hop", src.hop());
            }
        }
        return n;
    }

    private static ObjectNode source(Exposure.Source s, String id, ChainKind k) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", id);
        o.put("category", s == null || s.category() == null ? null : s.category().label());
        o.put("reference", s == null ? "" : s.reference());
        ArrayNode addresses = o.putArray("addresses");
        if (s != null) {
            s.addresses().forEach(a -> addresses.add(k.format(a)));
        }
        return o;
    }

    private static ObjectNode flow(Position p, Hash32 tx) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("block", p.block());
        o.set("position", AlertJson.position(p));
        o.put("txHash", tx.toString());
        return o;
    }

    private static ObjectNode hop(PathHop p, ChainId chain, Lookups lookups) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("position", AlertJson.position(p.position()));
        o.put("txHash", p.txHash().toString());
        o.put("timestamp", p.timestamp());
        o.put("from", chain.format(p.from()));
        o.put("to", chain.format(p.to()));
        o.put("asset", chain.kind().format(p.asset()));
        o.set("amount", AlertJson.amount(lookups.amount(chain, p.asset(), p.amount())));
        o.set("tainted", AlertJson.amount(lookups.amount(chain, p.asset(), p.tainted())));
        return o;
    }
}
