package io.taintwatch.labels;

import io.taintwatch.model.Address;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Hex;
import io.taintwatch.model.TronAddress;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which "Digital Currency Address - ASSET value" items of the SDN list are addresses of a chain taintwatch
 * follows, and which chains. An item is EVM when its value is {@code 0x} + 40 hex digits, whatever the asset code, so a
 * new EVM asset (OFAC added ARB, BSC and USDC over time) is picked up without a code change; it is Tron when its value is
 * a Base58Check {@code T...} address (OFAC lists those under USDT and TRX). USDT and BNB are also listed with values of
 * other chains ({@code bnb1...}); those and every bitcoin-family value are skipped and counted.
 */
final class SdnDigitalCurrency {
    static final String FEATURE_PREFIX = "Digital Currency Address - ";
    /** Assets that only exist on EVM chains: a value that is not an EVM address is an error in the list. */
    private static final Set<String> EVM_ONLY = Set.of("ETH", "ETC", "ARB", "BSC");
    /** Tron's own coin: a value that is not a Tron address is an error in the list. */
    private static final String TRX = "TRX";
    /** Assets OFAC lists with Tron values: a {@code T...} value of these whose checksum fails is an error, not another chain's. */
    private static final Set<String> ON_TRON = Set.of(TRX, "USDT", "USDC");
    private static final Pattern EVM = Pattern.compile("0[xX][0-9a-fA-F]{40}");

    private SdnDigitalCurrency() {}

    /** The outcome for one item: an address and its chains' kind, a skip (a chain not followed) or an error message. */
    record Outcome(Address address, ChainKind kind, String skipReason, String error) {
        static Outcome of(Address a, ChainKind k) {
            return new Outcome(a, k, null, null);
        }

        static Outcome error(String message) {
            return new Outcome(null, null, null, message);
        }
    }

    static Outcome classify(String asset, String rawValue) {
        String v = rawValue == null ? "" : rawValue.strip();
        String a = asset.strip().toUpperCase(Locale.ROOT);
        if (a.equals(TRX) && !TronAddress.looksLikeBase58(v)) {
            return Outcome.error("'" + Hex.abbreviate(v) + "' listed as TRX is not a Tron address");
        }
        if (EVM.matcher(v).matches()) {
            try {
                return Outcome.of(Address.parse(v), ChainKind.EVM);
            } catch (IllegalArgumentException e) {
                return Outcome.error(e.getMessage());
            }
        }
        if (v.startsWith("0x") || v.startsWith("0X")) {
            return Outcome.error("'" + Hex.abbreviate(v) + "' listed as " + Hex.abbreviate(a) + " looks like an EVM address but is not 0x + 40 hex digits");
        }
        if (EVM_ONLY.contains(a)) {
            return Outcome.error("'" + Hex.abbreviate(v) + "' listed as " + Hex.abbreviate(a) + " is not an EVM address");
        }
        if (TronAddress.looksLikeBase58(v)) {
            try {
                return Outcome.of(TronAddress.decode(v), ChainKind.TRON);
            } catch (IllegalArgumentException e) {
                if (ON_TRON.contains(a)) {
                    return Outcome.error("listed as " + Hex.abbreviate(a) + ": " + e.getMessage());
                }
                // another chain's address that merely looks like Tron's
            }
        }
        return new Outcome(null, null, "address of a chain taintwatch does not follow, listed as " + a, null);
    }
}
