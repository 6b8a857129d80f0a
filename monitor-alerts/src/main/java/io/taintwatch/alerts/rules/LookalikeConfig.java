package io.taintwatch.alerts.rules;

import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.TokenAmount;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes an address a lookalike and a transfer a poisoning one (rules {@code address-poisoning} and
 * {@code withdrawal-to-lookalike}; defaults and their basis in docs/alert-schema.md, "Lookalike addresses"):
 * the same first {@code prefixDigits} and last {@code suffixDigits} hex digits as a real counterparty seen within the
 * last {@code windowSeconds} (by block time); {@code maxEntries} bounds the counterparty memory of addresses that are not
 * our hot wallets (the oldest go first); {@code dust} maps an asset key ({@code native}, a contract, or
 * {@code <chain>:<asset>}) to the amount in base units up to which a transfer is dust; {@code scope} says whose
 * poisoning raises an alert.
 */
public record LookalikeConfig(int prefixDigits, int suffixDigits, long windowSeconds, long maxEntries, Map<String, BigInteger> dust,
                              Scope scope) {
    /** Every confirmed payoff of the address-poisoning study shares at least 3 leading and 4 trailing hex digits. */
    public static final int DEFAULT_PREFIX_DIGITS = 3;
    public static final int DEFAULT_SUFFIX_DIGITS = 4;
    /** 30 days: 92% of the study's confirmed Ethereum payoffs came within 30 days of the poisoning. */
    public static final long DEFAULT_WINDOW_SECONDS = 30L * 24 * 3600;
    public static final long DEFAULT_MAX_ENTRIES = 5_000_000L;
    /** About 10 USD of the native asset at 2,500 USD per coin (18 decimals). */
    public static final BigInteger DEFAULT_NATIVE_DUST = BigInteger.valueOf(4).multiply(BigInteger.TEN.pow(15));
    /** Tokens with known decimals: up to 10 whole units (10 USD of the dollar stablecoins poisoning uses). */
    public static final int DEFAULT_TOKEN_DUST_UNITS = 10;

    /** Whose poisoning raises an {@code address-poisoning} alert. */
    public enum Scope {
        /** The holder (whose counterparty is imitated) is ours, on the watchlist, or tracked by the engine. */
        WATCHED,
        /** Any address. */
        ALL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Scope fromLabel(String s) {
            for (Scope x : values()) {
                if (x.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                    return x;
                }
            }
            throw new IllegalArgumentException("unknown scope '" + s + "' (known: watched, all)");
        }
    }

    public LookalikeConfig {
        if (prefixDigits < 1 || suffixDigits < 1 || prefixDigits + suffixDigits > 39) {
            throw new IllegalArgumentException("lookalike digits: prefix and suffix at least 1, together at most 39 of the 40, got "
                + prefixDigits + " and " + suffixDigits);
        }
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("lookalike window must be at least 1 second, got " + windowSeconds);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("lookalike memory must hold at least 1 entry, got " + maxEntries);
        }
        dust = Collections.unmodifiableMap(new TreeMap<>(dust == null ? Map.of() : dust));
        dust.forEach((k, v) -> {
            if (v.signum() < 0) {
                throw new IllegalArgumentException("lookalike dust for " + k + " is negative");
            }
        });
        scope = scope == null ? Scope.WATCHED : scope;
    }

    public static LookalikeConfig defaults() {
        return new LookalikeConfig(DEFAULT_PREFIX_DIGITS, DEFAULT_SUFFIX_DIGITS, DEFAULT_WINDOW_SECONDS, DEFAULT_MAX_ENTRIES, Map.of(),
            Scope.WATCHED);
    }

    public LookalikeConfig withDigits(int prefix, int suffix) {
        return new LookalikeConfig(prefix, suffix, windowSeconds, maxEntries, dust, scope);
    }

    public LookalikeConfig withScope(Scope s) {
        return new LookalikeConfig(prefixDigits, suffixDigits, windowSeconds, maxEntries, dust, s);
    }

    public LookalikeConfig withWindowSeconds(long w) {
        return new LookalikeConfig(prefixDigits, suffixDigits, w, maxEntries, dust, scope);
    }

    public LookalikeConfig withMaxEntries(long n) {
        return new LookalikeConfig(prefixDigits, suffixDigits, windowSeconds, n, dust, scope);
    }

    /**
     * The largest amount that is dust: the configured one (chain-qualified first), else the native default for the native
     * asset and its wrapped form, ten whole units of a token with known decimals, and none (only zero-value) when the
     * decimals are unknown.
     */
    public BigInteger dustFor(ChainId chain, Asset asset, TokenAmount meta, boolean wrappedNative) {
        BigInteger v = dust.get(chain.name() + ":" + asset);
        if (v == null) {
            v = dust.get(asset.toString());
        }
        if (v != null) {
            return v;
        }
        if (asset.isNative() || wrappedNative) {
            return DEFAULT_NATIVE_DUST;
        }
        return meta.known() ? BigInteger.TEN.pow(meta.decimals()).multiply(BigInteger.valueOf(DEFAULT_TOKEN_DUST_UNITS)) : BigInteger.ZERO;
    }
}
