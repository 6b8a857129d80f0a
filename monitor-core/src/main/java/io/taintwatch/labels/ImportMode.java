package io.taintwatch.labels;

/** What an importer does with bad rows. */
public enum ImportMode {
    /** Any error rejects the whole file: nothing is imported and {@link ImportException} lists every error. */
    STRICT,
    /** Every valid row is imported; the errors are returned in the {@link ImportResult} with a summary. */
    LENIENT
}
