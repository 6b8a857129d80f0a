package io.taintwatch.alerts;

import io.taintwatch.model.AlertRule;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Deterministic alert ids: {@code <chain>:<rule>:<32 hex>} where the hex is the first 128 bits of
 * SHA-256 over the dedup key, so that replaying the same flows gives the same ids.
 */
public final class AlertIds {
    private AlertIds() {}

    public static String of(ChainId chain, AlertRule rule, String dedupKey) {
        return chain.name() + ":" + rule.label() + ":" + Hex.encode(Arrays.copyOf(sha256(dedupKey), 16));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
