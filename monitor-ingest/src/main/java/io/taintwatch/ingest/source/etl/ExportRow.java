package io.taintwatch.ingest.source.etl;

import java.util.List;

/** One row of an export file, CSV or JSON lines alike; columns by name, absent or empty values as null. */
interface ExportRow {
    String get(String column);

    /** A list column: a JSON array, or a comma-joined CSV field (ethereum-etl's {@code topics}). */
    List<String> list(String column);

    /** "file line N" for error messages. */
    String where();
}
