package io.taintwatch.labels;

import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.input.JsonRecords;
import io.taintwatch.model.Hex;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Etherscan label dumps, {@code {"0xaddr": {"name": "...", "labels": ["slug", ...]}}}, and the variant whose
 * labels are objects ({@code [{"label_id": "slug"}]}), streaming entry by entry (the full dump is 19 MB).
 * Slugs map to categories through {@link EtherscanSlugs}: an address can yield a label, a seed, or both
 * (a Tornado Cash pool on the sanctions list is a mixer and a sanctions seed).
 */
public final class EtherscanLabelsImporter implements LabelImporter {
    static final String FORMAT = "etherscan";
    /** Etherscan curates its labels, but these files are third-party scrapes of them. */
    public static final int CONFIDENCE = 80;
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder().streamReadConstraints(InputLimits.LABELS.readConstraints()).build());

    @Override
    public ImportResult read(Path file, ImportMode mode) throws IOException {
        try (InputStream in = Inputs.open(file, InputLimits.LABELS)) {
            return read(in, Inputs.displayName(file), mode);
        }
    }

    public ImportResult read(InputStream in, String fileName, ImportMode mode) throws IOException {
        ImportResult.Builder out = new ImportResult.Builder(FORMAT, fileName, ImportResult.Duplicates.KEEP_FIRST);
        JsonFactory f = MAPPER.getFactory();
        try (JsonParser p = f.createParser(Inputs.utf8(in))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ImportException(new ImportProblem(fileName, line(p), "expected a JSON object {address: {name, labels}}"), null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                long line = line(p);
                p.nextToken();
                JsonNode value = JsonRecords.read(p, MAPPER, fileName, InputLimits.LABELS);
                out.record();
                entry(key, value, line, out);
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new ImportException(new ImportProblem(fileName, line(p), "unexpected " + p.currentToken()), null);
            }
        } catch (InputException e) {
            throw ImportException.of(e);
        } catch (JsonProcessingException e) {
            throw ImportException.of(InputException.of(fileName, 0, e, InputLimits.LABELS, "not valid JSON: "));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ImportException(new ImportProblem(fileName, 0, "not valid UTF-8 text (" + e.getMessage() + "); save the file as UTF-8"), e);
        }
        return out.build(mode);
    }

    private static long line(JsonParser p) {
        return Math.max(0, p.currentTokenLocation().getLineNr());
    }

    private static void entry(String key, JsonNode value, long line, ImportResult.Builder out) {
        Address a;
        try {
            a = Address.parse(key);
        } catch (IllegalArgumentException e) {
            out.error(line, e.getMessage());
            return;
        }
        if (!value.isObject()) {
            out.error(line, "address " + a + ": expected {name, labels}, got " + value.getNodeType());
            return;
        }
        if (a.isZero()) {
            out.skip("zero address (never a label or seed)");
            return;
        }
        if (value.has("labels") && !value.get("labels").isArray()) {
            out.error(line, "address " + a + ": 'labels' must be a list, got " + value.get("labels").getNodeType());
            return;
        }
        String name = value.path("name").asText("").strip();
        List<String> slugs = new ArrayList<>();
        for (JsonNode l : value.path("labels")) {
            String slug = l.isObject() ? l.path("label_id").asText("") : l.asText("");
            if (slug.isBlank()) {
                out.error(line, "address " + a + ": a label without a slug: " + Hex.abbreviate(l.toString()));
                return;
            }
            slugs.add(slug.strip());
        }
        Category entity = null;
        String entitySlug = null;
        Category seed = null;
        String seedSlug = null;
        boolean neverSeed = slugs.stream().anyMatch(EtherscanSlugs::neverSeed);
        for (String slug : slugs) {
            Optional<Category> e = EtherscanSlugs.entity(slug);
            Optional<Category> s = EtherscanSlugs.seed(slug);
            if (e.isPresent() && (entity == null || rank(EtherscanSlugs.ENTITY_PRECEDENCE, e.get()) < rank(EtherscanSlugs.ENTITY_PRECEDENCE, entity))) {
                entity = e.get();
                entitySlug = slug;
            }
            if (s.isPresent() && neverSeed) {
                out.skip("burn/genesis address not made a seed (slug " + Hex.abbreviate(slug) + ")");
            } else if (s.isPresent() && (seed == null || seedRank(s.get(), slug) < seedRank(seed, seedSlug))) {
                seed = s.get();
                seedSlug = slug;
            }
            if (e.isEmpty() && s.isEmpty()) {
                out.skip("unmapped slug " + Hex.abbreviate(slug));
            }
        }
        String shown = name.isEmpty() ? String.join(" ", slugs) : name;
        if (entity != null) {
            out.entity(line, new Entity(a, shown, entity, "etherscan:" + entitySlug, CONFIDENCE));
        }
        if (seed != null) {
            out.seed(line, new Seed(a, "etherscan:" + seedSlug, seed, 0, "Etherscan label " + seedSlug + ": " + shown));
        }
        if (entity == null && seed == null) {
            out.skip("address with no mapped slug");
        }
    }

    /** Category first; within sanctions an OFAC listing names the source better than an issuer's freeze. */
    private static int seedRank(Category c, String slug) {
        int within = switch (slug) {
            case "ofac-sanctions-lists" -> 0;
            case "sanctioned" -> 1;
            case "blocked" -> 2;
            default -> 3;
        };
        return rank(EtherscanSlugs.SEED_PRECEDENCE, c) * 4 + within;
    }

    private static int rank(List<Category> precedence, Category c) {
        int i = precedence.indexOf(c);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
