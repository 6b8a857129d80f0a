package io.taintwatch.model;

import java.util.Objects;

/**
 * A watchlist entry: {@code address} is a taint source of {@code sourceId} from block {@code validFrom}.
 * The reference says where it comes from (e.g. {@code OFAC SDN 12345 DPRK3 2025-11-19}).
 */
public record Seed(Address address, String sourceId, Category category, long validFrom, String reference) {
    public Seed {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(category, "category");
        if (sourceId == null || sourceId.isBlank()) {
            throw new IllegalArgumentException("seed for " + address + " has no source id");
        }
        if (validFrom < 0) {
            throw new IllegalArgumentException("seed for " + address + ": validFrom must not be negative");
        }
        reference = reference == null ? "" : reference;
    }
}
