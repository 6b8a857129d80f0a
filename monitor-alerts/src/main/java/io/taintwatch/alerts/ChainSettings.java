package io.taintwatch.alerts;

import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.tokens.NativeAsset;
import java.util.Objects;

/** One monitored chain: its id, name (topic names) and kind, and its native asset (how it is shown, its wrapped forms). */
public record ChainSettings(long id, String name, NativeAsset nativeAsset, ChainKind kind) {
    public ChainSettings {
        new ChainId(id, name, kind); // validates id, name and kind with the same rules as everywhere else
        Objects.requireNonNull(nativeAsset, "nativeAsset");
        if (nativeAsset.symbol().isBlank()) {
            throw new IllegalArgumentException("chain " + name + ": native symbol is missing");
        }
    }

    /** An EVM chain whose native asset has the given symbol and decimals, the default name and, on chain id 1, WETH9 as its wrapped form. */
    public ChainSettings(long id, String name, String nativeSymbol, int nativeDecimals) {
        this(id, name, withSymbol(new ChainId(id, name), nativeSymbol, nativeDecimals), ChainKind.EVM);
    }

    private static NativeAsset withSymbol(ChainId chain, String symbol, int decimals) {
        NativeAsset d = NativeAsset.defaultFor(chain);
        return new NativeAsset(symbol == null ? "" : symbol, d.name(), decimals, d.wrapped());
    }

    public static ChainSettings ethereum() {
        return new ChainSettings(1, "ethereum", "ETH", 18);
    }

    public String nativeSymbol() {
        return nativeAsset.symbol();
    }

    public int nativeDecimals() {
        return nativeAsset.decimals();
    }

    public ChainId chainId() {
        return new ChainId(id, name, kind);
    }
}
