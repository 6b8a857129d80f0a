package io.taintwatch.app.retro;

import io.taintwatch.model.AlertRetro;
import io.taintwatch.model.Seed;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a seed's listing took effect. OFAC seeds carry {@code designated YYYY-MM-DD} in their reference (written by
 * the SDN importers from the entry's earliest EntryEvent); other seeds say nothing, and the day (UTC) the seed was
 * first seen on the watchlist stands in, with {@code basis = first-seen} so nobody mistakes it for a legal date.
 */
public record Designation(LocalDate date, String basis) {
    private static final Pattern DESIGNATED = Pattern.compile("(?:^|[|;,\\s])designated (\\d{4}-\\d{2}-\\d{2})(?=$|[|;,\\s])");

    public static Designation of(Seed seed, long firstSeenMillis) {
        Matcher m = DESIGNATED.matcher(seed.reference());
        if (m.find()) {
            try {
                return new Designation(LocalDate.parse(m.group(1)), AlertRetro.BASIS_DESIGNATION);
            } catch (DateTimeParseException e) {
                // "designated 2019-02-30" is not a date: fall back to when we saw it rather than invent one
            }
        }
        return new Designation(Instant.ofEpochMilli(firstSeenMillis).atZone(ZoneOffset.UTC).toLocalDate(), AlertRetro.BASIS_FIRST_SEEN);
    }
}
