package io.taintwatch.model;

import java.util.Objects;

/**
 * A label: who controls an address on the chains of {@code kind}. Confidence is in percent (0-100); no floating point
 * anywhere.
 */
public record Entity(Address address, String name, Category category, String source, int confidence, ChainKind kind) {
    public Entity {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(kind, "kind");
        name = name == null ? "" : name;
        source = source == null ? "" : source;
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0..100, got " + confidence);
        }
    }

    /** A label on EVM chains. */
    public Entity(Address address, String name, Category category, String source, int confidence) {
        this(address, name, category, source, confidence, ChainKind.EVM);
    }

    /** True when this label is about an address of {@code chain} (its kind is the chain's). */
    public boolean appliesTo(ChainId chain) {
        return kind == chain.kind();
    }

    /** The address as its chains write it; also its key on the {@code labels} topic. */
    public String key() {
        return kind.format(address);
    }
}
