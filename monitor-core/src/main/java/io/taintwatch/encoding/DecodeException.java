package io.taintwatch.encoding;

/**
 * A record that cannot be decoded: the message says what is wrong and where (e.g.
 * {@code "block 19000000: leg 12: from has 19 bytes, expected 20"}).
 */
public class DecodeException extends RuntimeException {
    public DecodeException(String message) {
        super(message);
    }

    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
