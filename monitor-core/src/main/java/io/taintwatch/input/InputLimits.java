package io.taintwatch.input;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Bounds on what reading one input file may hold in memory, so that a hostile or broken file fails with an
 * {@link InputException} naming file, line and limit instead of an {@link OutOfMemoryError}.
 *
 * @param maxBytes       decompressed bytes of the whole file
 * @param maxExpansion   decompressed bytes per compressed byte, checked once {@link #EXPANSION_GRACE} bytes are out
 *                       (a decompression bomb expands a thousandfold and more; real gzip and bzip2 data a few dozen times)
 * @param maxRecordChars characters of one record: a CSV row, a JSON entry or line, a TagPack tag, an XML text
 * @param maxFieldChars  characters of one field (CSV field, JSON or YAML string)
 */
public record InputLimits(long maxBytes, int maxExpansion, int maxRecordChars, int maxFieldChars) {
    /** Decompressed bytes read before the expansion ratio is judged: small files may compress well without being bombs. */
    public static final long EXPANSION_GRACE = 16L << 20;

    /**
     * Label and watchlist files: the whole file is held as seeds and labels (OFAC's XML is about 120 MB, Etherscan dumps
     * about 20 MB); rows are short (OFAC cuts Remarks at 1,000 characters).
     */
    public static final InputLimits LABELS = new InputLimits(1L << 30, 100, 1 << 20, 256 << 10);

    /**
     * ethereum-etl and BigQuery exports: any size (a chain's history), but a transaction's input data can hold a few MB
     * of hex, so records may be long.
     */
    public static final InputLimits EXPORTS = new InputLimits(Long.MAX_VALUE, 100, 32 << 20, 16 << 20);

    public InputLimits {
        if (maxBytes <= 0 || maxExpansion <= 0 || maxRecordChars <= 0 || maxFieldChars <= 0 || maxFieldChars > maxRecordChars) {
            throw new IllegalArgumentException("input limits must be positive and a field no longer than a record: " + maxBytes + ", "
                + maxExpansion + ", " + maxRecordChars + ", " + maxFieldChars);
        }
    }

    /** Jackson's read constraints for these limits (string length = field limit); the other constraints keep Jackson's defaults. */
    public StreamReadConstraints readConstraints() {
        return StreamReadConstraints.builder().maxStringLength(maxFieldChars).build();
    }
}
