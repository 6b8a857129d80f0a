package io.taintwatch.encoding;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.TokenStatus;

/** The string forms of flow enums shared by the binary and the JSON encodings, with clear errors on bad input. */
final class Labels {
    private static final String FLOW_KINDS = Arrays.stream(FlowKind.values()).map(FlowKind::label).collect(Collectors.joining(", "));
    private static final String BASES = Arrays.stream(BalanceBasis.values()).map(BalanceBasis::label).collect(Collectors.joining(", "));

    private Labels() {}

    static String flowKind(FlowKind k) {
        return k.label();
    }

    static FlowKind flowKind(String s) {
        for (FlowKind k : FlowKind.values()) {
            if (k.label().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown flow kind '" + s + "' (expected one of " + FLOW_KINDS + ")");
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
        throw new IllegalArgumentException("unknown sender basis '" + s + "' (expected one of " + BASES + ")");
    }

    /** Null (not recorded) maps to the empty string. */
    static String status(TokenStatus t) {
        return t == null ? "" : t.label();
    }

    static TokenStatus status(String s) {
        return s.isEmpty() ? null : TokenStatus.fromLabel(s);
    }

    /** Null (not skipped) maps to the empty string. */
    static String skip(SkipReason r) {
        return r == null ? "" : r.label();
    }

    static SkipReason skip(String s) {
        return s.isEmpty() ? null : SkipReason.fromLabel(s);
    }
}
