package io.taintwatch.alerts;

import java.util.Objects;

/** Token metadata from the compacted {@code tokens} topic (value JSON {@code {"symbol","decimals","name"}}). */
public record TokenInfo(String symbol, int decimals, String name) {
    public TokenInfo {
        Objects.requireNonNull(symbol, "symbol");
        if (decimals < 0 || decimals > 77) {
            throw new IllegalArgumentException("token " + symbol + ": decimals must be 0..77, got " + decimals);
        }
        name = name == null ? "" : name;
    }
}
