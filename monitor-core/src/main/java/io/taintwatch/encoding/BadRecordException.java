package io.taintwatch.encoding;

/**
 * An input record that decodes but is not valid where it was read (a key that is not an address, a key that names
 * another address than its value, a block of another chain). Thrown before the record changes any state, so that the
 * processing-exception handler can dead-letter it and the stream can go on; any other exception stops the stream.
 */
public final class BadRecordException extends RuntimeException {
    public BadRecordException(String message) {
        super(message);
    }

    public BadRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
