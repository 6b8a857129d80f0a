package io.taintwatch.tokens;

import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import java.util.Objects;
import java.util.Set;

/**
 * The chain's native coin (symbol, name, decimals) and its wrapped form(s): always verified, and what counterfeit
 * symbols most often imitate ({@code ЕТН}, {@code WΕTH}).
 */
public record NativeAsset(String symbol, String name, int decimals, Set<Address> wrapped) {
    /** WETH9 on Ethereum mainnet. */
    public static final Address MAINNET_WETH = Address.parse("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");

    public NativeAsset {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(name, "name");
        if (decimals < 0 || decimals > 77) {
            throw new IllegalArgumentException("native decimals must be 0..77, got " + decimals);
        }
        wrapped = Set.copyOf(wrapped);
    }

    /** Ether (ETH, 18 decimals); on Ethereum mainnet (chain id 1) with WETH9 as its wrapped form. */
    public static NativeAsset defaultFor(ChainId chain) {
        return new NativeAsset("ETH", "Ether", 18, chain.id() == 1 ? Set.of(MAINNET_WETH) : Set.of());
    }
}
