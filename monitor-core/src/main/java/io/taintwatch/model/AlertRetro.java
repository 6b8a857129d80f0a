package io.taintwatch.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What makes an alert retroactive: it comes from a retro-screening, a replay of retained blocks that ran after a
 * seed was added, over blocks the live engine saw before the seed existed. {@code designatedAt} is the date the
 * seed's listing took effect ({@code basis} says where it comes from: the OFAC designation date in the seed's
 * reference, or the day the seed was first seen on the watchlist); {@code fromBlock..toBlock} is the range the
 * screening replayed and {@code seeds} the new seed addresses it screened.
 */
public record AlertRetro(String screeningId, LocalDate designatedAt, String basis, long fromBlock, long toBlock, List<Address> seeds) {
    /** The date is the OFAC designation date carried in the seed's reference ({@code designated YYYY-MM-DD}). */
    public static final String BASIS_DESIGNATION = "designation";
    /** The seed says no date: the day (UTC) it was first seen on the watchlist. */
    public static final String BASIS_FIRST_SEEN = "first-seen";

    public AlertRetro {
        Objects.requireNonNull(screeningId, "screeningId");
        Objects.requireNonNull(designatedAt, "designatedAt");
        if (!BASIS_DESIGNATION.equals(basis) && !BASIS_FIRST_SEEN.equals(basis)) {
            throw new IllegalArgumentException("designation basis must be designation or first-seen, got " + basis);
        }
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException("retro-screening range must be 0 <= from <= to, got " + fromBlock + ".." + toBlock);
        }
        seeds = List.copyOf(seeds);
    }
}
