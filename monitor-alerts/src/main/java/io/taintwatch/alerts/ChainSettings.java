package io.taintwatch.alerts;

import io.taintwatch.model.ChainId;

/** One monitored chain: its id and name (topic names) and how its native asset is shown. */
public record ChainSettings(long id, String name, String nativeSymbol, int nativeDecimals) {
    public ChainSettings {
        new ChainId(id, name); // validates id and name with the same rules as everywhere else
        if (nativeSymbol == null || nativeSymbol.isBlank()) {
            throw new IllegalArgumentException("chain " + name + ": native symbol is missing");
        }
        if (nativeDecimals < 0 || nativeDecimals > 77) {
            throw new IllegalArgumentException("chain " + name + ": native decimals must be 0..77");
        }
    }

    public static ChainSettings ethereum() {
        return new ChainSettings(1, "ethereum", "ETH", 18);
    }

    public ChainId chainId() {
        return new ChainId(id, name);
    }
}
