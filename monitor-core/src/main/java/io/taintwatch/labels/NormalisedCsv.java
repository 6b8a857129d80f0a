package io.taintwatch.labels;

import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the normalised CSVs that replays read back with {@link PlainCsvImporter}: seeds
 * {@code address,source_id,category,reference} (plus {@code valid_from} when any seed starts after block 0) and
 * labels {@code address,category,name,source,confidence} (the last two are optional on reading).
 * Addresses are written in their chains' form ({@code 0x...} lower case, or {@code T...}); rows are sorted by kind, then
 * address, so that two exports of the same data are byte-identical.
 */
public final class NormalisedCsv {
    private NormalisedCsv() {}

    public static void writeSeeds(Path file, Collection<Seed> seeds) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeSeeds(w, seeds);
        }
    }

    public static void writeLabels(Path file, Collection<Entity> labels) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeLabels(w, labels);
        }
    }

    public static void writeSeeds(Writer w, Collection<Seed> seeds) throws IOException {
        List<Seed> sorted = new ArrayList<>(seeds);
        sorted.sort(Comparator.comparing(Seed::kind).thenComparing(Seed::address));
        boolean validFrom = sorted.stream().anyMatch(s -> s.validFrom() != 0);
        w.write(validFrom ? "address,source_id,category,reference,valid_from\n" : "address,source_id,category,reference\n");
        for (Seed s : sorted) {
            w.write(s.key());
            w.write(',');
            w.write(quote(s.sourceId()));
            w.write(',');
            w.write(s.category().label());
            w.write(',');
            w.write(quote(s.reference()));
            if (validFrom) {
                w.write(',');
                w.write(Long.toString(s.validFrom()));
            }
            w.write('\n');
        }
    }

    public static void writeLabels(Writer w, Collection<Entity> labels) throws IOException {
        List<Entity> sorted = new ArrayList<>(labels);
        sorted.sort(Comparator.comparing(Entity::kind).thenComparing(Entity::address));
        w.write("address,category,name,source,confidence\n");
        for (Entity e : sorted) {
            w.write(e.key());
            w.write(',');
            w.write(e.category().label());
            w.write(',');
            w.write(quote(e.name()));
            w.write(',');
            w.write(quote(e.source()));
            w.write(',');
            w.write(Integer.toString(e.confidence()));
            w.write('\n');
        }
    }

    /** RFC 4180 quoting. The reader strips surrounding spaces, so the importers never produce them. */
    static String quote(String s) {
        boolean needs = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
