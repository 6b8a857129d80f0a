package io.taintwatch.model;

import java.util.Objects;

/**
 * One source behind an alert: the watchlist entry (address, category, reference such as the OFAC entry),
 * and, for taint, the tainted amount of the leg, its share of the leg in parts per million and the hop count.
 * Role {@code counterparty} marks a direct exposure (the address itself is on the watchlist, nothing is tainted).
 */
public record AlertSource(String sourceId, Address address, Category category, String reference, String role,
                          TokenAmount tainted, long sharePpm, int hop, long effectiveFrom) {
    public static final String ORIGIN = "origin";
    public static final String COUNTERPARTY = "counterparty";

    public AlertSource {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(tainted, "tainted");
        if (!ORIGIN.equals(role) && !COUNTERPARTY.equals(role)) {
            throw new IllegalArgumentException("source role must be origin or counterparty, got " + role);
        }
        if (sharePpm < 0 || sharePpm > 1_000_000) {
            throw new IllegalArgumentException("share must be 0..1000000 ppm, got " + sharePpm);
        }
        reference = reference == null ? "" : reference;
    }
}
