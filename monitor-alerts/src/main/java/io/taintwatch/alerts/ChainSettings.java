package io.taintwatch.alerts;

import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;

/** One monitored chain: its id, name (topic names) and kind, and how its native asset is shown. */
public record ChainSettings(long id, String name, String nativeSymbol, int nativeDecimals, ChainKind kind) {
    public ChainSettings {
        new ChainId(id, name, kind); // validates id, name and kind with the same rules as everywhere else
        if (nativeSymbol == null || nativeSymbol.isBlank()) {
            throw new IllegalArgumentException("chain " + name + ": native symbol is missing");
        }
        if (nativeDecimals < 0 || nativeDecimals > 77) {
            throw new IllegalArgumentException("chain " + name + ": native decimals must be 0..77");
        }
    }

    /** An EVM chain. */
    public ChainSettings(long id, String name, String nativeSymbol, int nativeDecimals) {
        this(id, name, nativeSymbol, nativeDecimals, ChainKind.EVM);
    }

    public static ChainSettings ethereum() {
        return new ChainSettings(1, "ethereum", "ETH", 18);
    }

    public ChainId chainId() {
        return new ChainId(id, name, kind);
    }
}
