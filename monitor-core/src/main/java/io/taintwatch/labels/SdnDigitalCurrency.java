package io.taintwatch.labels;

import io.taintwatch.model.Hex;
import io.taintwatch.model.Address;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which "Digital Currency Address - ASSET value" items of the SDN list are EVM addresses.
 * An item is EVM when its value is {@code 0x} + 40 hex digits, whatever the asset code, so a new EVM asset
 * (OFAC added ARB, BSC and USDC over time) is picked up without a code change. USDT and BNB are listed with
 * both EVM and non-EVM (TRON {@code T...}, {@code bnb1...}) values: only the {@code 0x} ones are kept.
 */
final class SdnDigitalCurrency {
    static final String FEATURE_PREFIX = "Digital Currency Address - ";
    /** Assets that only exist on EVM chains: a value that is not an EVM address is an error in the list. */
    private static final Set<String> EVM_ONLY = Set.of("ETH", "ETC", "ARB", "BSC");
    private static final Pattern EVM = Pattern.compile("0[xX][0-9a-fA-F]{40}");

    private SdnDigitalCurrency() {}

    /** The outcome for one item: an address, a skip (non-EVM) or an error message. */
    record Outcome(Address address, String skipReason, String error) {}

    static Outcome classify(String asset, String rawValue) {
        String v = rawValue == null ? "" : rawValue.strip();
        String a = asset.strip().toUpperCase(Locale.ROOT);
        if (EVM.matcher(v).matches()) {
            try {
                return new Outcome(Address.parse(v), null, null);
            } catch (IllegalArgumentException e) {
                return new Outcome(null, null, e.getMessage());
            }
        }
        if (v.startsWith("0x") || v.startsWith("0X")) {
            return new Outcome(null, null, "'" + Hex.abbreviate(v) + "' listed as " + Hex.abbreviate(a) + " looks like an EVM address but is not 0x + 40 hex digits");
        }
        if (EVM_ONLY.contains(a)) {
            return new Outcome(null, null, "'" + Hex.abbreviate(v) + "' listed as " + Hex.abbreviate(a) + " is not an EVM address");
        }
        return new Outcome(null, "non-EVM address listed as " + a, null);
    }
}
