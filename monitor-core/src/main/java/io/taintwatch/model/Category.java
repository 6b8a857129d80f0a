package io.taintwatch.model;

import java.util.Locale;

/** What an address is (labels) or why it is watched (seeds). Unknown names are an error, never a default. */
public enum Category {
    // entity categories (labels)
    EXCHANGE, EXCHANGE_DEPOSIT, EXCHANGE_HOT_WALLET, MIXER, BRIDGE, DEX, DEFI, GAMBLING, MINER, CONTRACT, OTHER,
    // seed categories (watchlist)
    THEFT, SANCTIONS, SCAM, PHISHING, RANSOMWARE, DARKNET, TERRORISM_FINANCING, FRAUD;

    /** Lower-case, dash-separated name used in files, topics and alerts ({@code exchange-deposit}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Category fromLabel(String s) {
        String n = s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown category '" + s + "'");
        }
    }

    /** Exchanges (any part of one), mixers and bridges: taint is delivered there, and not followed further. */
    public boolean terminalByDefault() {
        return this == EXCHANGE || this == EXCHANGE_DEPOSIT || this == EXCHANGE_HOT_WALLET || this == MIXER || this == BRIDGE;
    }
}
