package io.taintwatch.labels;

import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.input.JsonRecords;
import io.taintwatch.model.Hex;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TronAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads GraphSense TagPacks (YAML): a header ({@code title}, {@code creator}, and defaults such as {@code category},
 * {@code abuse}, {@code currency}, {@code source}, {@code confidence}) and a {@code tags} list whose entries inherit
 * every header default they do not set. EVM tags (currency or network ETH, ETC, BSC, ...; or an unknown currency with a
 * {@code 0x} address) and Tron tags (TRX, or an unknown currency such as USDT with a {@code T...} address) are read;
 * tags of other chains are counted as skipped. The taxonomy is mapped by
 * {@link GraphSenseTaxonomy}: a category gives a label, an abuse gives a seed, both can come from one tag.
 */
public final class TagPackImporter implements LabelImporter {
    static final String FORMAT = "tagpack";
    private static final Set<String> HEADER_ONLY = Set.of("title", "creator", "description", "owner", "is_public", "tags");
    private static final Set<String> EVM_CHAINS = Set.of("ETH", "ETC", "BSC", "BNB", "ARB", "ARBITRUM", "OP", "OPTIMISM",
        "MATIC", "POLYGON", "POL", "AVAX", "FTM", "BASE", "GNOSIS", "XDAI");
    private static final Set<String> TRON_CHAINS = Set.of("TRX", "TRON");
    private static final Set<String> OTHER_CHAINS = Set.of("BTC", "BCH", "LTC", "ZEC", "XMR", "DASH", "XRP", "SOL",
        "BSV", "BTG", "XVG", "DOGE", "ADA", "DOT", "XLM", "ATOM");
    private static final Pattern EVM_ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{40}");
    /** SnakeYAML's own document limit (3 MiB by default) gives way to the input limits: whole-file bytes, record and field sizes. */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
        .loaderOptions(loaderOptions())
        .streamReadConstraints(InputLimits.LABELS.readConstraints()).build());

    @Override
    public ImportResult read(Path file, ImportMode mode) throws IOException {
        try (InputStream in = Inputs.open(file, InputLimits.LABELS)) {
            return read(in, Inputs.displayName(file), mode);
        }
    }

    public ImportResult read(InputStream in, String fileName, ImportMode mode) throws IOException {
        ImportResult.Builder out = new ImportResult.Builder(FORMAT, fileName, ImportResult.Duplicates.KEEP_FIRST);
        ObjectNode header = YAML.createObjectNode();
        List<ObjectNode> tags = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        long tagsLine = 0;
        try (JsonParser p = YAML.getFactory().createParser(Inputs.utf8(in))) {
            p.setCodec(YAML);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw fileError(fileName, line(p), "a TagPack is a YAML mapping with title, creator and tags");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (key.equals("tags")) {
                    tagsLine = line(p);
                    if (t != JsonToken.START_ARRAY) {
                        throw fileError(fileName, tagsLine, "'tags' must be a list");
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        long line = line(p);
                        JsonNode tag = JsonRecords.read(p, YAML, fileName, InputLimits.LABELS);
                        if (tag instanceof ObjectNode o) {
                            tags.add(o);
                            lines.add(line);
                        } else {
                            out.record();
                            out.error(line, "a tag must be a mapping (address, label, ...), got " + tag.getNodeType());
                        }
                    }
                } else {
                    header.set(key, JsonRecords.read(p, YAML, fileName, InputLimits.LABELS));
                }
            }
        } catch (InputException e) {
            throw ImportException.of(e);
        } catch (JsonProcessingException e) {
            throw ImportException.of(InputException.of(fileName, 0, e, InputLimits.LABELS, "not valid YAML: "));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ImportException(new ImportProblem(fileName, 0, "not valid UTF-8 text (" + e.getMessage() + "); save the file as UTF-8"), e);
        }
        for (String required : List.of("title", "creator")) {
            if (header.path(required).asText("").isBlank()) {
                throw fileError(fileName, 1, "TagPack header has no '" + required + "'");
            }
        }
        if (tagsLine == 0) {
            throw fileError(fileName, 1, "TagPack has no 'tags' list");
        }
        String title = header.path("title").asText().strip();
        String creator = header.path("creator").asText().strip();
        for (int i = 0; i < tags.size(); i++) {
            out.record();
            ObjectNode merged = header.deepCopy();
            for (String h : HEADER_ONLY) {
                merged.remove(h);
            }
            merged.setAll(tags.get(i));
            tag(merged, lines.get(i), title, creator, out);
        }
        return out.build(mode);
    }

    private static void tag(ObjectNode tag, long line, String title, String creator, ImportResult.Builder out) {
        String rawAddress = text(tag, "address");
        if (rawAddress.isEmpty()) {
            if (tag.has("tx_hash")) {
                out.skip("transaction tag (no address)");
            } else {
                out.error(line, "tag has no address");
            }
            return;
        }
        String chain = (text(tag, "network").isEmpty() ? text(tag, "currency") : text(tag, "network")).toUpperCase(Locale.ROOT);
        if (chain.isEmpty()) {
            out.error(line, "tag for " + Hex.abbreviate(rawAddress) + " has no currency or network");
            return;
        }
        ChainKind kind;
        if (TRON_CHAINS.contains(chain)) {
            kind = ChainKind.TRON;
        } else if (EVM_CHAINS.contains(chain) || (!OTHER_CHAINS.contains(chain) && EVM_ADDRESS.matcher(rawAddress).matches())) {
            kind = ChainKind.EVM;
        } else if (!OTHER_CHAINS.contains(chain) && TronAddress.looksLikeBase58(rawAddress)) {
            kind = ChainKind.TRON; // a token on Tron (USDT, USDC) tagged by its currency
        } else {
            out.skip("tag of a chain taintwatch does not follow (" + Hex.abbreviate(chain) + ")");
            return;
        }
        Address parsed;
        try {
            parsed = kind == ChainKind.TRON ? TronAddress.decode(rawAddress) : Address.parse(rawAddress);
        } catch (IllegalArgumentException e) {
            out.error(line, e.getMessage());
            return;
        }
        String a = kind.format(parsed);
        String label = text(tag, "label");
        if (label.isEmpty()) {
            out.error(line, "tag for " + a + " has no label");
            return;
        }
        int confidence = GraphSenseTaxonomy.DEFAULT_CONFIDENCE;
        String conf = text(tag, "confidence");
        if (!conf.isEmpty()) {
            Integer level = GraphSenseTaxonomy.CONFIDENCE.get(conf.toLowerCase(Locale.ROOT));
            if (level == null) {
                out.error(line, "tag for " + a + ": unknown confidence '" + Hex.abbreviate(conf) + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(GraphSenseTaxonomy.CONFIDENCE.keySet())) + ")");
                return;
            }
            confidence = level;
        }
        Set<String> concepts = new LinkedHashSet<>();
        for (String field : List.of("category", "abuse")) {
            if (!text(tag, field).isEmpty()) {
                concepts.add(text(tag, field));
            }
        }
        for (JsonNode c : tag.path("concepts")) {
            concepts.add(c.asText(""));
        }
        Category entity = null;
        Category seed = null;
        String seedConcept = null;
        List<String> unmapped = new ArrayList<>();
        for (String c : concepts) {
            if (!GraphSenseTaxonomy.known(c)) {
                out.error(line, "tag for " + a + ": unknown category '" + Hex.abbreviate(c) + "' (not a GraphSense taxonomy concept)");
                return;
            }
            var e = GraphSenseTaxonomy.entity(c);
            var s = GraphSenseTaxonomy.seed(c);
            if (e.isPresent() && (entity == null || rank(EtherscanSlugs.ENTITY_PRECEDENCE, e.get()) < rank(EtherscanSlugs.ENTITY_PRECEDENCE, entity))) {
                entity = e.get();
            }
            if (s.isPresent() && (seed == null || rank(EtherscanSlugs.SEED_PRECEDENCE, s.get()) < rank(EtherscanSlugs.SEED_PRECEDENCE, seed))) {
                seed = s.get();
                seedConcept = GraphSenseTaxonomy.normalise(c);
            }
            if (e.isEmpty() && s.isEmpty()) {
                unmapped.add(GraphSenseTaxonomy.normalise(c));
            }
        }
        if (entity == Category.EXCHANGE && unmapped.remove("hot_wallet")) {
            entity = Category.EXCHANGE_HOT_WALLET;
        }
        unmapped.forEach(c -> out.skip("unmapped concept " + c));
        String source = text(tag, "source");
        if (entity != null) {
            out.entity(line, new Entity(parsed, label, entity, "tagpack:" + title + (source.isEmpty() ? "" : " " + source), confidence, kind));
        }
        if (seed != null) {
            String reference = label + " | " + seedConcept + " | TagPack '" + title + "' by " + creator + (source.isEmpty() ? "" : " | " + source);
            out.seed(line, new Seed(parsed, "tagpack:" + slug(label), seed, 0, reference, kind));
        }
        if (entity == null && seed == null) {
            out.skip("tag with no mapped category or abuse");
        }
    }

    /** One taint source per label: every address a TagPack labels "WannaCry" belongs to one source. */
    static String slug(String label) {
        String s = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "unnamed" : s;
    }

    private static int rank(List<Category> precedence, Category c) {
        int i = precedence.indexOf(c);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText().strip();
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, InputLimits.LABELS.maxBytes()));
        return o;
    }

    private static long line(JsonParser p) {
        return Math.max(0, p.currentTokenLocation().getLineNr());
    }

    private static ImportException fileError(String file, long line, String reason) {
        return new ImportException(new ImportProblem(file, line, reason), null);
    }
}
