package io.taintwatch.tokens;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.taintwatch.encoding.Json;
import io.taintwatch.labels.ImportException;
import io.taintwatch.labels.ImportMode;
import io.taintwatch.labels.ImportProblem;
import io.taintwatch.input.CsvInput;
import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.model.Address;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.model.ChainId;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The token files {@code taintwatch tokens import} reads: a Token List (the Token Lists JSON standard, e.g.
 * {@code @uniswap/default-token-list}'s {@code uniswap-default.tokenlist.json}), MetaMask's {@code contract-map.json}
 * ({@code @metamask/contract-metadata}, Ethereum mainnet only), and the user's own CSV. Listed tokens are verified;
 * the CSV may declare any status. Files may be plain, gzip or bzip2.
 */
public enum TokenFormat {
    TOKENLIST("tokenlist"), METAMASK("metamask"), CSV("csv");

    // entries are read one at a time from one parser: the shared mapper refuses trailing tokens after a value
    /** Streaming JSON with the importers' field and record bounds (a token list is read entry by entry). */
    private static final ObjectMapper STREAMING = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
        .streamReadConstraints(InputLimits.LABELS.readConstraints()).build()).build();

    private final String cliName;

    TokenFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static TokenFormat fromCliName(String s) {
        for (TokenFormat f : values()) {
            if (f.cliName.equals(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown token format '" + s + "' (known: tokenlist, metamask, csv)");
    }

    /** Reads the tokens of {@code chain} from {@code file}. Strict mode throws {@link ImportException} on any bad entry. */
    public TokenImport read(Path file, ChainId chain, ImportMode mode) throws IOException {
        Reading r = new Reading(Inputs.displayName(file), chain);
        try (InputStream in = Inputs.open(file, InputLimits.LABELS)) {
            switch (this) {
                case TOKENLIST -> r.tokenList(in);
                case METAMASK -> r.metamask(in);
                case CSV -> r.csv(Inputs.utf8(in));
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ImportException(new ImportProblem(r.file, Math.max(line, 0), "not valid " + (this == CSV ? "CSV" : "JSON") + ": "
                + e.getOriginalMessage()), e);
        }
        if (mode == ImportMode.STRICT && !r.errors.isEmpty()) {
            throw new ImportException(r.file, r.errors);
        }
        return new TokenImport(cliName, r.file, r.records, new ArrayList<>(r.tokens.values()), r.errors, r.warnings, r.skipped);
    }

    /** The state of one import. */
    private static final class Reading {
        final String file;
        final ChainId chain;
        final LinkedHashMap<Address, Token> tokens = new LinkedHashMap<>();
        final List<ImportProblem> errors = new ArrayList<>();
        final List<ImportProblem> warnings = new ArrayList<>();
        final TreeMap<String, Integer> skipped = new TreeMap<>();
        long records;

        Reading(String file, ChainId chain) {
            this.file = file;
            this.chain = chain;
        }

        /** {@code {"name", "version": {major, minor, patch}, "tokens": [{chainId, address, symbol, name, decimals, ...}]}}. */
        void tokenList(InputStream in) throws IOException {
            String listName = "";
            String version = "";
            try (JsonParser p = STREAMING.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw fatal(p, "a Token List is a JSON object with a \"tokens\" array");
                }
                boolean sawTokens = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "name" -> listName = p.getValueAsString("");
                        case "version" -> {
                            JsonNode v = p.readValueAsTree();
                            version = v.path("major").asText("") + "." + v.path("minor").asText("") + "." + v.path("patch").asText("");
                        }
                        case "tokens" -> {
                            if (p.currentToken() != JsonToken.START_ARRAY) {
                                throw fatal(p, "\"tokens\" must be an array");
                            }
                            sawTokens = true;
                            String source = "tokenlist:" + (listName.isEmpty() ? file : listName) + (version.equals("..") ? "" : " " + version);
                            int index = 0;
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                long line = p.currentLocation().getLineNr();
                                JsonNode t = p.readValueAsTree();
                                records++;
                                listEntry(t, "tokens[" + index++ + "]", line, source);
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                if (!sawTokens) {
                    throw fatal(p, "no \"tokens\" array: not a Token List");
                }
            }
        }

        private void listEntry(JsonNode t, String where, long line, String source) {
            JsonNode id = t.get("chainId");
            if (id == null || !id.canConvertToLong()) {
                errors.add(new ImportProblem(file, line, where + ": chainId is missing or not a number"));
                return;
            }
            if (id.longValue() != chain.id()) {
                skip("token of another chain (chain id " + id.longValue() + ")");
                return;
            }
            add(line, where, t.path("address").asText(""), t.path("symbol").asText(""), t.path("name").asText(""), t.get("decimals"),
                TokenStatus.VERIFIED, "", source);
        }

        /** {@code {"0xChecksummed": {"name", "symbol", "decimals", "erc20", "erc721", "logo"}}}: Ethereum mainnet contracts. */
        void metamask(InputStream in) throws IOException {
            if (chain.id() != 1) {
                throw new ImportException(new ImportProblem(file, 1, "MetaMask's contract-map.json lists Ethereum mainnet (chain id 1) "
                    + "contracts, not chain " + chain.id() + " (" + chain.name() + ")"), null);
            }
            try (JsonParser p = STREAMING.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw fatal(p, "contract-map.json is a JSON object keyed by contract address");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String address = p.currentName();
                    long line = p.currentLocation().getLineNr();
                    p.nextToken();
                    JsonNode t = p.readValueAsTree();
                    records++;
                    if (!t.path("erc20").asBoolean(false) && !t.path("erc721").asBoolean(false) || t.path("symbol").asText("").isEmpty()) {
                        skip("contract that is not a token (no erc20/erc721 flag or no symbol)");
                        continue;
                    }
                    add(line, address, address, t.path("symbol").asText(""), t.path("name").asText(""), t.get("decimals"),
                        TokenStatus.VERIFIED, "", "metamask:contract-map");
                }
            }
        }

        /**
         * The user's own tokens: a header row with {@code address,symbol,name,decimals} and optional {@code status}
         * (default {@code verified}) and {@code reason} (required for {@code counterfeit}); {@code #} lines are comments.
         */
        void csv(Reader in) throws IOException {
            try (CsvInput csv = new CsvInput(in, file, InputLimits.LABELS, true)) {
                CsvInput.Row header = csv.next();
                while (header != null && header.fields().stream().allMatch(String::isBlank)) {
                    header = csv.next();
                }
                List<String> columns = header == null ? List.of()
                    : header.fields().stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
                Set<String> known = Set.of("address", "symbol", "name", "decimals", "status", "reason");
                for (String required : List.of("address", "symbol", "name", "decimals")) {
                    if (!columns.contains(required)) {
                        throw new ImportException(new ImportProblem(file, header == null ? 1 : header.line(), "missing column '" + required
                            + "' (a header row address,symbol,name,decimals[,status,reason] is required)"), null);
                    }
                }
                for (String c : columns) {
                    if (!known.contains(c)) {
                        warnings.add(new ImportProblem(file, header.line(), "unknown column '" + c + "' is ignored"));
                    }
                }
                CsvInput.Row r;
                while ((r = csv.next()) != null) {
                    if (r.fields().stream().allMatch(String::isBlank)) {
                        continue;
                    }
                    long line = r.line();
                    Map<String, String> row = new java.util.HashMap<>();
                    for (int c = 0; c < columns.size(); c++) {
                        row.put(columns.get(c), r.get(c));
                    }
                    records++;
                    String status = row.getOrDefault("status", "").strip();
                    TokenStatus s;
                    try {
                        s = status.isEmpty() ? TokenStatus.VERIFIED : TokenStatus.fromLabel(status.toLowerCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        errors.add(new ImportProblem(file, line, e.getMessage()));
                        continue;
                    }
                    String decimals = row.getOrDefault("decimals", "").strip();
                    JsonNode d = decimals.isEmpty() ? null : parseDecimals(decimals);
                    if (!decimals.isEmpty() && d == null) {
                        errors.add(new ImportProblem(file, line, "decimals '" + decimals + "' is not an integer 0..77"));
                        continue;
                    }
                    add(line, "", row.getOrDefault("address", ""), row.getOrDefault("symbol", ""), row.getOrDefault("name", ""), d, s,
                        row.getOrDefault("reason", "").strip(), "csv:" + file);
                }
            } catch (InputException e) {
                throw ImportException.of(e);
            }
        }

        private static JsonNode parseDecimals(String s) {
            try {
                return Json.mapper().getNodeFactory().numberNode(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private void add(long line, String where, String address, String symbol, String name, JsonNode decimals, TokenStatus status,
                         String reason, String source) {
            String prefix = where.isEmpty() ? "" : where + ": ";
            Address a;
            try {
                a = Address.parse(address);
            } catch (IllegalArgumentException e) {
                errors.add(new ImportProblem(file, line, prefix + e.getMessage()));
                return;
            }
            Integer d = null;
            if (decimals != null && !decimals.isNull()) {
                if (!decimals.isIntegralNumber() || !decimals.canConvertToInt()) {
                    errors.add(new ImportProblem(file, line, prefix + a + ": decimals " + decimals + " is not an integer"));
                    return;
                }
                d = decimals.intValue();
            }
            Token t;
            try {
                t = new Token(chain, a, symbol, name, d, status, reason, source);
            } catch (IllegalArgumentException e) {
                errors.add(new ImportProblem(file, line, prefix + e.getMessage()));
                return;
            }
            Token first = tokens.putIfAbsent(a, t);
            if (first != null && !first.equals(t)) {
                if (source.startsWith("csv:")) {
                    // the user's own file: which of two different rows is meant is not for us to guess
                    errors.add(new ImportProblem(file, line, prefix + a + " has a second, different row"));
                } else {
                    warnings.add(new ImportProblem(file, line, prefix + a + " is listed twice; the first entry (" + first.symbol() + ") is kept"));
                }
            }
        }

        private void skip(String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        private ImportException fatal(JsonParser p, String reason) {
            return new ImportException(new ImportProblem(file, p.currentLocation().getLineNr(), reason), null);
        }
    }
}
