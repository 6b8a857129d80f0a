package io.taintwatch.labels;

import io.taintwatch.model.Entity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The small label pack the project maintains: Tornado Cash pool and router contracts and well-known bridge
 * contracts on Ethereum mainnet, and the Tron wallets that large exchanges published, each row naming its public source
 * ({@code default-labels.csv} beside this class).
 */
public final class DefaultLabels {
    public static final String RESOURCE = "default-labels.csv";

    private DefaultLabels() {}

    /** Every entry of the pack; a malformed pack is a build defect and fails loudly. */
    public static List<Entity> load() {
        try (InputStream in = DefaultLabels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            return new PlainCsvImporter().read(in, RESOURCE, PlainCsvImporter.Kind.LABELS, ImportMode.STRICT).entities();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
