package io.taintwatch.model;

import java.util.Objects;

/**
 * A watchlist entry: {@code address} is a taint source of {@code sourceId} from block {@code validFrom} on the chains of
 * {@code kind} (an OFAC {@code T...} address is a source on Tron chains, a {@code 0x} one on EVM chains).
 * The reference says where it comes from (e.g. {@code OFAC SDN 12345 DPRK3 2025-11-19}).
 */
public record Seed(Address address, String sourceId, Category category, long validFrom, String reference, ChainKind kind) {
    public Seed {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(kind, "kind");
        if (sourceId == null || sourceId.isBlank()) {
            throw new IllegalArgumentException("seed for " + kind.format(address) + " has no source id");
        }
        if (validFrom < 0) {
            throw new IllegalArgumentException("seed for " + kind.format(address) + ": validFrom must not be negative");
        }
        reference = reference == null ? "" : reference;
    }

    /** A seed on EVM chains. */
    public Seed(Address address, String sourceId, Category category, long validFrom, String reference) {
        this(address, sourceId, category, validFrom, reference, ChainKind.EVM);
    }

    /** True when this seed is a source on {@code chain} (its kind is the chain's). */
    public boolean appliesTo(ChainId chain) {
        return kind == chain.kind();
    }

    /** The address as its chains write it; also its key on the {@code watchlist} topic. */
    public String key() {
        return kind.format(address);
    }
}
