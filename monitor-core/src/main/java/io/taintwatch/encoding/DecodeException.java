package io.taintwatch.encoding;

/**
 * A record that cannot be decoded: the message says what is wrong and where (e.g.
 * {@code "block 19000000: leg 12: from has 19 bytes, expected 20"}).
 */
public class DecodeException extends RuntimeException {
    /** Longest message kept: messages quote untrusted input and end up in logs and dead-letter headers. */
    static final int MAX_MESSAGE = 1000;

    public DecodeException(String message) {
        super(cap(message));
    }

    public DecodeException(String message, Throwable cause) {
        super(cap(message), cause);
    }

    private static String cap(String m) {
        return m == null || m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
