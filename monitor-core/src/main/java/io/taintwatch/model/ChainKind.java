package io.taintwatch.model;

import java.util.Locale;

/**
 * The kind of a chain, which decides how its 20-byte addresses are written for people and in the text keys of the
 * {@code watchlist} and {@code labels} topics: lower-case {@code 0x} hex on EVM chains, Base58Check {@code T...} on
 * Tron. This is the one place that decides it: everything that shows or keys an address of a chain asks its kind.
 * On the wire (block and flow records, state) an address is always its 20 bytes.
 */
public enum ChainKind {
    EVM("evm"),
    TRON("tron");

    private final String label;

    ChainKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ChainKind fromLabel(String s) {
        String l = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (ChainKind k : values()) {
            if (k.label.equals(l)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown chain kind '" + Hex.abbreviate(String.valueOf(s)) + "' (known: evm, tron)");
    }

    /** The address as people see it on this kind of chain: {@code 0x...} (lower case) or {@code T...}. */
    public String format(Address a) {
        return this == TRON ? TronAddress.encode(a) : a.toString();
    }

    /** {@code native}, the token contract as {@link #format(Address)} writes it, {@code contract/tokenId}, or {@code trc10:id}. */
    public String format(Asset asset) {
        if (asset.contract() == null) {
            return asset.toString();
        }
        String c = format(asset.contract());
        return asset.tokenId() == null ? c : c + "/" + asset.tokenId();
    }

    /**
     * The kind an address text belongs to: a Base58 {@code T...} address is Tron's, anything else is read as EVM hex. For
     * input that says by its form which chains it is for (a seed or label row, a watchlist key).
     */
    public static ChainKind ofText(String address) {
        return address != null && TronAddress.looksLikeBase58(address) ? TRON : EVM;
    }
}
