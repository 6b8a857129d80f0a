package io.taintwatch.ingest.evm;

/** A log carries a known event signature but not its shape (topic count, data length, non-address topic). */
public final class MalformedLogException extends Exception {
    public MalformedLogException(String message) {
        super(message, null, false, false);
    }
}
