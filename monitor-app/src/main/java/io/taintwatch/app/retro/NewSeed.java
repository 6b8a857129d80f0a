package io.taintwatch.app.retro;

import io.taintwatch.model.Seed;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A seed the live engine picked up after it had already processed blocks: {@code pickupBlock} is the block from which
 * the engine applies it (its {@code effectiveFrom}); the blocks before it are what a retro-screening covers.
 */
public record NewSeed(Seed seed, long pickupBlock, LocalDate designatedAt, String designationBasis) {
    public NewSeed {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(designatedAt, "designatedAt");
        Objects.requireNonNull(designationBasis, "designationBasis");
    }
}
