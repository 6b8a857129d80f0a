package io.taintwatch.labels;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one kind of label or watchlist file into seeds and labels, validating every row. */
public interface LabelImporter {
    /**
     * Reads {@code file} (plain, gzip or bzip2). In {@link ImportMode#STRICT} any error throws an
     * {@link ImportException} listing all of them; in {@link ImportMode#LENIENT} the errors are in the result.
     */
    ImportResult read(Path file, ImportMode mode) throws IOException;
}
