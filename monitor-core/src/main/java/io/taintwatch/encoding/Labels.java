package io.taintwatch.encoding;

import java.util.Locale;

import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.FlowKind;

/** The string forms of flow enums shared by the binary and the JSON encodings. */
final class Labels {
    private Labels() {}

    /** {@code tracked}, {@code terminal}, {@code dex_in}, {@code dex_out}, {@code fee}. */
    static String flowKind(FlowKind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    static FlowKind flowKind(String s) {
        for (FlowKind k : FlowKind.values()) {
            if (flowKind(k).equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown flow kind '" + s + "' (expected tracked, terminal, dex_in, dex_out or fee)");
    }

    /** Null (not recorded) maps to the empty string. */
    static String basis(BalanceBasis b) {
        return b == null ? "" : b.label();
    }

    static BalanceBasis basis(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (BalanceBasis b : BalanceBasis.values()) {
            if (b.label().equals(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown sender basis '" + s + "' (expected end-of-block-balance or zero)");
    }
}
