package io.taintwatch.labels;

import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.model.Seed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The EVM and Tron addresses added to and removed from OFAC's SDN list between two files (sdn_advanced.xml or sdn.csv,
 * in any mix, plain or compressed), with their parties. {@link #changed()} holds addresses on both lists whose
 * party, name, programs or assets differ. Publishing: upsert {@link #seedsToUpsert()}, tombstone {@link #keysToRemove()}.
 */
public record SdnDiff(SdnExtract older, SdnExtract newer, List<SdnAddress> added, List<SdnAddress> removed, List<SdnAddress> changed) {
    public SdnDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /** Reads both files (strict: a diff of a file with errors would silently miss addresses). */
    public static SdnDiff between(Path older, Path newer) throws IOException {
        return of(read(older), read(newer));
    }

    /** Reads an SDN file in either format: XML if its first non-blank character is '<', else the legacy CSV. */
    public static SdnExtract read(Path file) throws IOException {
        boolean xml;
        try (InputStream in = Inputs.open(file, InputLimits.LABELS)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF);
            xml = c == '<';
        }
        return xml ? new OfacSdnXmlImporter().extract(file, ImportMode.STRICT) : new OfacSdnCsvImporter().extract(file, ImportMode.STRICT);
    }

    public static SdnDiff of(SdnExtract older, SdnExtract newer) {
        Map<String, SdnAddress> before = index(older);
        Map<String, SdnAddress> after = index(newer);
        List<SdnAddress> added = new ArrayList<>();
        List<SdnAddress> changed = new ArrayList<>();
        for (SdnAddress a : after.values()) {
            SdnAddress b = before.get(a.key());
            if (b == null) {
                added.add(a);
            } else if (!b.partyId().equals(a.partyId()) || !b.partyName().equals(a.partyName())
                || !b.programs().equals(a.programs()) || !b.assets().equals(a.assets())) {
                changed.add(a);
            }
        }
        List<SdnAddress> removed = new ArrayList<>();
        for (SdnAddress b : before.values()) {
            if (!after.containsKey(b.key())) {
                removed.add(b);
            }
        }
        return new SdnDiff(older, newer, added, removed, changed);
    }

    /** The first listing of each address wins, as in the import (an address is one watchlist key). */
    private static Map<String, SdnAddress> index(SdnExtract x) {
        Map<String, SdnAddress> m = new LinkedHashMap<>();
        for (SdnAddress a : Objects.requireNonNull(x, "extract").addresses()) {
            m.putIfAbsent(a.key(), a);
        }
        return m;
    }

    /** New and changed addresses as seeds to write to the watchlist. */
    public List<Seed> seedsToUpsert() {
        List<Seed> seeds = new ArrayList<>();
        added.forEach(a -> seeds.add(a.toSeed()));
        changed.forEach(a -> seeds.add(a.toSeed()));
        return seeds;
    }

    /** The watchlist keys of delisted addresses ({@code 0x...} or {@code T...}): tombstones on the watchlist. */
    public List<String> keysToRemove() {
        return removed.stream().map(SdnAddress::key).toList();
    }

    /** Lines for a person: {@code + 0x... ETH ofac:27307 Lazarus Group [DPRK3]}, removed with {@code -}, changed with {@code ~}. */
    public String report() {
        StringBuilder sb = new StringBuilder()
            .append(older.result().file()).append(older.dateOfIssue() == null ? "" : " (" + older.dateOfIssue() + ")")
            .append(" -> ").append(newer.result().file()).append(newer.dateOfIssue() == null ? "" : " (" + newer.dateOfIssue() + ")")
            .append(": ").append(added.size()).append(" added, ").append(removed.size()).append(" removed, ")
            .append(changed.size()).append(" changed\n");
        added.forEach(a -> line(sb, '+', a));
        removed.forEach(a -> line(sb, '-', a));
        changed.forEach(a -> line(sb, '~', a));
        return sb.toString();
    }

    private static void line(StringBuilder sb, char sign, SdnAddress a) {
        sb.append(sign).append(' ').append(a.key()).append(' ').append(String.join(",", a.assets())).append(' ')
            .append(a.sourceId()).append(' ').append(a.partyName());
        if (!a.programs().isEmpty()) {
            sb.append(" [").append(String.join(" ", a.programs())).append(']');
        }
        sb.append('\n');
    }
}
