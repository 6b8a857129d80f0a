package io.taintwatch.alerts;

/**
 * Token metadata from the compacted {@code tokens} topic written by ingest (key {@code <chain>:<contract>} or
 * {@code <chain>:native}, value JSON with {@code symbol}, {@code decimals}, {@code name}). {@code decimals} is null
 * when the contract did not say; amounts are then shown in base units and marked unknown.
 */
public record TokenInfo(String symbol, Integer decimals, String name) {
    public TokenInfo {
        symbol = symbol == null ? "" : symbol;
        if (decimals != null && (decimals < 0 || decimals > 77)) {
            throw new IllegalArgumentException("token " + symbol + ": decimals must be 0..77, got " + decimals);
        }
        name = name == null ? "" : name;
    }
}
