package io.taintwatch.labels;

import io.taintwatch.input.CsvInput;
import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads taintwatch's own CSV files, which are also what {@code --export} writes and what replays read.
 * A header row is required and columns are found by name, in any order:
 * <ul>
 *   <li>labels: {@code address,category,name} and optionally {@code source,confidence} (0-100, default 100);</li>
 *   <li>seeds: {@code address,source_id,category} and optionally {@code reference,valid_from} (block, default 0).</li>
 * </ul>
 * A header with {@code source_id} makes a seeds file. Blank lines and lines starting with {@code #} are comments.
 * An unknown category, a seed category in a labels file (or the reverse) and a second row for one address are errors.
 */
public final class PlainCsvImporter implements LabelImporter {
    static final String FORMAT = "csv";
    static final List<String> LABEL_COLUMNS = List.of("address", "category", "name");
    static final List<String> LABEL_OPTIONAL = List.of("source", "confidence");
    static final List<String> SEED_COLUMNS = List.of("address", "source_id", "category");
    static final List<String> SEED_OPTIONAL = List.of("reference", "valid_from");
    static final int DEFAULT_CONFIDENCE = 100;

    /** What a file must hold. */
    public enum Kind { LABELS, SEEDS, ANY }

    @Override
    public ImportResult read(Path file, ImportMode mode) throws IOException {
        return read(file, Kind.ANY, mode);
    }

    /** Reads a file that must be of {@code kind} ({@link Kind#ANY}: decided by the header). */
    public ImportResult read(Path file, Kind kind, ImportMode mode) throws IOException {
        try (InputStream in = Inputs.open(file, InputLimits.LABELS)) {
            return read(in, Inputs.displayName(file), kind, mode);
        }
    }

    public ImportResult read(InputStream in, String fileName, Kind kind, ImportMode mode) throws IOException {
        ImportResult.Builder out = new ImportResult.Builder(FORMAT, fileName, ImportResult.Duplicates.ERROR);
        try (CsvInput csv = new CsvInput(Inputs.utf8(in), fileName, InputLimits.LABELS, true)) {
            CsvInput.Row header = nextRow(csv);
            if (header == null) {
                throw new ImportException(new ImportProblem(fileName, 1, "empty file: a header row is required ("
                    + String.join(",", LABEL_COLUMNS) + " or " + String.join(",", SEED_COLUMNS) + ")"), null);
            }
            Map<String, Integer> cols = columns(header, out);
            boolean seeds = cols.containsKey("source_id");
            if (kind == Kind.SEEDS && !seeds) {
                throw headerError(fileName, header.line(), "a seeds file needs the columns " + String.join(",", SEED_COLUMNS));
            }
            if (kind == Kind.LABELS && seeds) {
                throw headerError(fileName, header.line(), "a labels file has no source_id column; this looks like a seeds file");
            }
            List<String> required = seeds ? SEED_COLUMNS : LABEL_COLUMNS;
            List<String> optional = seeds ? SEED_OPTIONAL : LABEL_OPTIONAL;
            for (String c : required) {
                if (!cols.containsKey(c)) {
                    throw headerError(fileName, header.line(), "missing column '" + c + "': a " + (seeds ? "seeds" : "labels")
                        + " file needs " + String.join(",", required) + " (optional: " + String.join(",", optional) + ")");
                }
            }
            for (String c : cols.keySet()) {
                if (!required.contains(c) && !optional.contains(c)) {
                    out.warn(header.line(), "unknown column '" + Hex.abbreviate(c) + "' ignored");
                }
            }
            CsvInput.Row row;
            while ((row = nextRow(csv)) != null) {
                out.record();
                if (row.fields().size() > header.fields().size()) {
                    out.error(row.line(), row.fields().size() + " fields but the header has " + header.fields().size());
                    continue;
                }
                if (seeds) {
                    seed(row, cols, out);
                } else {
                    label(row, cols, out);
                }
            }
        } catch (InputException e) {
            throw ImportException.of(e);
        }
        return out.build(mode);
    }

    private static void label(CsvInput.Row row, Map<String, Integer> cols, ImportResult.Builder out) {
        Address a = address(row, cols, out);
        Category c = category(row, cols, out, false);
        int confidence = DEFAULT_CONFIDENCE;
        String conf = field(row, cols, "confidence");
        if (!conf.isEmpty()) {
            try {
                confidence = Integer.parseInt(conf);
                if (confidence < 0 || confidence > 100) {
                    out.error(row.line(), "confidence " + Hex.abbreviate(conf) + " is not in 0..100");
                    return;
                }
            } catch (NumberFormatException e) {
                out.error(row.line(), "confidence '" + Hex.abbreviate(conf) + "' is not a whole number 0..100");
                return;
            }
        }
        if (a == null || c == null) {
            return;
        }
        String source = field(row, cols, "source");
        out.entity(row.line(), new Entity(a, field(row, cols, "name"), c, source.isEmpty() ? "csv:" + out.file() : source, confidence,
            ChainKind.ofText(field(row, cols, "address"))));
    }

    private static void seed(CsvInput.Row row, Map<String, Integer> cols, ImportResult.Builder out) {
        Address a = address(row, cols, out);
        Category c = category(row, cols, out, true);
        String sourceId = field(row, cols, "source_id");
        if (sourceId.isEmpty()) {
            out.error(row.line(), "empty source_id");
            return;
        }
        long validFrom = 0;
        String vf = field(row, cols, "valid_from");
        if (!vf.isEmpty()) {
            try {
                validFrom = Long.parseLong(vf);
            } catch (NumberFormatException e) {
                validFrom = -1;
            }
            if (validFrom < 0) {
                out.error(row.line(), "valid_from '" + Hex.abbreviate(vf) + "' is not a block number");
                return;
            }
        }
        if (a == null || c == null) {
            return;
        }
        out.seed(row.line(), new Seed(a, sourceId, c, validFrom, field(row, cols, "reference"), ChainKind.ofText(field(row, cols, "address"))));
    }

    private static Address address(CsvInput.Row row, Map<String, Integer> cols, ImportResult.Builder out) {
        String s = field(row, cols, "address");
        if (s.isEmpty()) {
            out.error(row.line(), "empty address");
            return null;
        }
        try {
            return Address.parse(s);
        } catch (IllegalArgumentException e) {
            out.error(row.line(), e.getMessage());
            return null;
        }
    }

    private static Category category(CsvInput.Row row, Map<String, Integer> cols, ImportResult.Builder out, boolean seed) {
        String s = field(row, cols, "category");
        Category c;
        try {
            c = Category.fromLabel(s);
        } catch (IllegalArgumentException e) {
            out.error(row.line(), "unknown category '" + Hex.abbreviate(s) + "' (known: " + known(seed) + ")");
            return null;
        }
        if (seed && !CategoryKinds.isSeed(c)) {
            out.error(row.line(), "category '" + Hex.abbreviate(s) + "' describes an entity, not why an address is watched; put it in a labels file (seed categories: "
                + known(true) + ")");
            return null;
        }
        if (!seed && !CategoryKinds.isEntity(c)) {
            out.error(row.line(), "category '" + Hex.abbreviate(s) + "' is a watchlist (seed) category; put it in a seeds file (label categories: "
                + known(false) + ")");
            return null;
        }
        return c;
    }

    private static String known(boolean seed) {
        StringBuilder sb = new StringBuilder();
        for (Category c : Category.values()) {
            if (CategoryKinds.isSeed(c) == seed) {
                sb.append(sb.isEmpty() ? "" : ", ").append(c.label());
            }
        }
        return sb.toString();
    }

    private static String field(CsvInput.Row row, Map<String, Integer> cols, String name) {
        Integer i = cols.get(name);
        return i == null ? "" : row.get(i).strip();
    }

    private static Map<String, Integer> columns(CsvInput.Row header, ImportResult.Builder out) {
        Map<String, Integer> cols = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (i == 0 && name.startsWith("\ufeff")) {
                name = name.substring(1); // a UTF-8 byte order mark from spreadsheet exports
            }
            if (cols.put(name, i) != null) {
                throw headerError(out.file(), header.line(), "column '" + Hex.abbreviate(name) + "' appears twice");
            }
        }
        return cols;
    }

    private static ImportException headerError(String file, long line, String reason) {
        return new ImportException(new ImportProblem(file, line, reason), null);
    }

    private static final Set<String> NO_FIELDS = Set.of("");

    /** The next row that is not blank and not a {@code #} comment. */
    private static CsvInput.Row nextRow(CsvInput csv) throws IOException {
        CsvInput.Row row;
        while ((row = csv.next()) != null) {
            boolean blank = row.fields().stream().allMatch(f -> NO_FIELDS.contains(f.strip()));
            if (!blank && !row.get(0).stripLeading().startsWith("#")) {
                return row;
            }
        }
        return null;
    }
}
