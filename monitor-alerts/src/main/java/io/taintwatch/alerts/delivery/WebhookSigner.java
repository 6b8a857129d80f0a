package io.taintwatch.alerts.delivery;

import io.taintwatch.model.Hex;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Webhook signatures, in the manner of Stripe: {@code X-Taintwatch-Signature: v1=<hex>} where hex is
 * HMAC-SHA256(secret, timestamp + "." + body) and timestamp is the {@code X-Taintwatch-Timestamp} header
 * (unix seconds). Receivers recompute it, compare in constant time and reject stale timestamps (replay).
 */
public final class WebhookSigner {
    public static final String HEADER_TIMESTAMP = "X-Taintwatch-Timestamp";
    public static final String HEADER_SIGNATURE = "X-Taintwatch-Signature";
    public static final String HEADER_ALERT_ID = "X-Taintwatch-Alert-Id";
    public static final String HEADER_ALERT_VERSION = "X-Taintwatch-Alert-Version";
    public static final String HEADER_ATTEMPT = "X-Taintwatch-Delivery-Attempt";
    public static final String SCHEME = "v1";

    private WebhookSigner() {}

    /** {@code v1=<hex of HMAC-SHA256(secret, timestamp "." body)>}. */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        return SCHEME + "=" + Hex.encode(hmac(secret, timestampSeconds, body));
    }

    /**
     * Verifies a signature header (which may list several {@code v1=} values, comma separated, during secret
     * rotation) and that the timestamp is within {@code toleranceSeconds} of {@code nowSeconds}.
     */
    public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body, long nowSeconds,
                                 long toleranceSeconds) {
        if (timestampHeader == null || signatureHeader == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
            return false;
        }
        byte[] expected = hmac(secret, ts, body);
        boolean ok = false;
        for (String part : signatureHeader.split(",")) {
            String p = part.strip();
            if (p.startsWith(SCHEME + "=")) {
                byte[] given;
                try {
                    given = Hex.decode(p.substring(SCHEME.length() + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                ok |= MessageDigest.isEqual(expected, given);
            }
        }
        return ok;
    }

    private static byte[] hmac(String secret, long ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }
}
