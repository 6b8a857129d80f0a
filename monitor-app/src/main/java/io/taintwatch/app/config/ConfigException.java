package io.taintwatch.app.config;

/** A configuration problem a person can fix: the message names the key or file and what is wrong. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
