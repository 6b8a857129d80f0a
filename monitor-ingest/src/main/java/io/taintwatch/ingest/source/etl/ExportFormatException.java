package io.taintwatch.ingest.source.etl;

/** An export row that cannot be read: names the file, line, column and reason. */
public final class ExportFormatException extends RuntimeException {
    public ExportFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
