package io.taintwatch.model;

import java.util.Objects;

/** A label: who controls an address. Confidence is in percent (0-100); no floating point anywhere. */
public record Entity(Address address, String name, Category category, String source, int confidence) {
    public Entity {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(category, "category");
        name = name == null ? "" : name;
        source = source == null ? "" : source;
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0..100, got " + confidence);
        }
    }
}
