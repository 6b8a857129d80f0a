package io.taintwatch.labels;

import io.taintwatch.model.Hex;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one import read: the valid seeds and labels (at most one of each per address), the rejected rows
 * ({@link #errors()}), things the user must know about accepted data ({@link #warnings()}), and counts of
 * what was skipped on purpose (addresses of chains taintwatch does not follow, unmapped label slugs), keyed by reason.
 * {@code records} counts what the format calls a record: SDN parties (XML), rows (CSV), addresses (Etherscan), tags (TagPack).
 */
public record ImportResult(
    String format,
    String file,
    long records,
    List<Seed> seeds,
    List<Entity> entities,
    List<ImportProblem> errors,
    List<ImportProblem> warnings,
    SortedMap<String, Integer> skipped) {

    /** How many warnings and errors {@link #summary()} lists of each kind. */
    public static final int SUMMARY_LIMIT = 50;

    public ImportResult {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        seeds = List.copyOf(seeds);
        entities = List.copyOf(entities);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        skipped = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** One paragraph for a person: what was imported, rejected, warned about and skipped. */
    public String summary() {
        StringBuilder sb = new StringBuilder()
            .append(file).append(" (").append(format).append("): ")
            .append(records).append(" records read, ")
            .append(seeds.size()).append(seeds.size() == 1 ? " seed, " : " seeds, ")
            .append(entities.size()).append(entities.size() == 1 ? " label" : " labels")
            .append(" imported; ")
            .append(errors.size()).append(errors.size() == 1 ? " row rejected, " : " rows rejected, ")
            .append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings");
        if (!skipped.isEmpty()) {
            sb.append("; skipped:");
            skipped.forEach((reason, n) -> sb.append("\n  ").append(n).append(" x ").append(reason));
        }
        list(sb, "warning", warnings);
        list(sb, "error", errors);
        return sb.toString();
    }

    /** Lists the first {@link #SUMMARY_LIMIT} problems of a kind; all of them are in the result. */
    private static void list(StringBuilder sb, String kind, List<ImportProblem> problems) {
        for (int i = 0; i < problems.size(); i++) {
            if (i == SUMMARY_LIMIT) {
                sb.append("\n  ... and ").append(problems.size() - SUMMARY_LIMIT).append(" more ").append(kind).append('s');
                return;
            }
            sb.append("\n  ").append(kind).append(": ").append(problems.get(i));
        }
    }

    /** How a second row for an address that already has a seed (or label) is treated. */
    enum Duplicates {
        /** Our own files: a second, different row for one address is an error (the topics are keyed by address). */
        ERROR,
        /** Third-party dumps that list an address several times: the first row wins and a warning names the others. */
        KEEP_FIRST
    }

    /** Collects rows while an importer reads; {@link #build(ImportMode)} applies strict or lenient mode. */
    static final class Builder {
        private final String format;
        private final String file;
        private final Duplicates duplicates;
        private long records;
        // keyed as the topics are: by the address in its chains' form, so a 0x seed and a T... seed of the same 20 bytes
        // (one key used on both kinds of chain) are two seeds
        private final Map<String, Seed> seeds = new LinkedHashMap<>();
        private final Map<String, Long> seedLines = new LinkedHashMap<>();
        private final Map<String, Entity> entities = new LinkedHashMap<>();
        private final Map<String, Long> entityLines = new LinkedHashMap<>();
        private final List<ImportProblem> errors = new ArrayList<>();
        private final List<ImportProblem> warnings = new ArrayList<>();
        private final SortedMap<String, Integer> skipped = new TreeMap<>();

        Builder(String format, String file, Duplicates duplicates) {
            this.format = format;
            this.file = file;
            this.duplicates = duplicates;
        }

        String file() {
            return file;
        }

        void record() {
            records++;
        }

        void error(long line, String reason) {
            errors.add(new ImportProblem(file, line, reason));
        }

        void warn(long line, String reason) {
            warnings.add(new ImportProblem(file, line, reason));
        }

        void skip(String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        void seed(long line, Seed s) {
            Seed first = seeds.get(s.key());
            if (first == null) {
                seeds.put(s.key(), s);
                seedLines.put(s.key(), line);
            } else if (first.equals(s)) {
                skip("duplicate seed row");
            } else {
                duplicate(line, s.key(), "seed", seedLines.get(s.key()), Hex.abbreviate(first.sourceId()) + " " + first.category().label(),
                    Hex.abbreviate(s.sourceId()) + " " + s.category().label());
            }
        }

        void entity(long line, Entity e) {
            Entity first = entities.get(e.key());
            if (first == null) {
                entities.put(e.key(), e);
                entityLines.put(e.key(), line);
            } else if (first.equals(e)) {
                skip("duplicate label row");
            } else {
                duplicate(line, e.key(), "label", entityLines.get(e.key()), first.category().label() + " '" + Hex.abbreviate(first.name()) + "'",
                    e.category().label() + " '" + Hex.abbreviate(e.name()) + "'");
            }
        }

        private void duplicate(long line, String a, String what, long firstLine, String kept, String other) {
            String reason = "address " + a + " already has a " + what + " (" + kept + ") from line " + firstLine;
            if (duplicates == Duplicates.ERROR) {
                error(line, reason + "; this row (" + other + ") conflicts with it");
            } else {
                warn(line, reason + "; kept that one and ignored " + other);
            }
        }

        ImportResult build(ImportMode mode) {
            if (mode == ImportMode.STRICT && !errors.isEmpty()) {
                throw new ImportException(file, errors);
            }
            return new ImportResult(format, file, records, new ArrayList<>(seeds.values()), new ArrayList<>(entities.values()),
                errors, warnings, skipped);
        }
    }
}
