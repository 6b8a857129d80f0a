package io.taintwatch.alerts.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Receiver-side verification of webhook signatures ({@code docs/alert-schema.md}: {@code v1=} HMAC-SHA256 over
 * {@code timestamp.body}, 300 s tolerance) refuses every tampered delivery: any changed byte of the body, another
 * secret, another or stale timestamp, another scheme, a truncated or re-encoded signature.
 */
class WebhookSignatureRefusalTest {
    private static final String SECRET = "whsec_0123456789abcdef";
    private static final long TS = 1_790_000_000L;
    private static final byte[] BODY = "{\"id\":\"ethereum:0xabc:tainted_to_exchange\",\"version\":3,\"amount\":\"100\"}"
        .getBytes(StandardCharsets.UTF_8);

    @Test
    void anyChangedByteOfTheBodyIsRefused() {
        Random rnd = new Random(26);
        for (int n = 0; n < 500; n++) {
            anyChangedByteIsRefused(rnd);
        }
    }

    private static void anyChangedByteIsRefused(Random rnd) {
        String sig = WebhookSigner.sign(SECRET, TS, BODY);
        byte[] tampered = BODY.clone();
        int i = rnd.nextInt(tampered.length);
        tampered[i] = (byte) (tampered[i] ^ (1 + rnd.nextInt(255)));
        assertThat(WebhookSigner.verify(SECRET, Long.toString(TS), sig, tampered, TS, 300)).isFalse();
        // and truncation or extension
        byte[] cut = Arrays.copyOf(BODY, rnd.nextInt(BODY.length));
        assertThat(WebhookSigner.verify(SECRET, Long.toString(TS), sig, cut, TS, 300)).isFalse();
        byte[] longer = Arrays.copyOf(BODY, BODY.length + 1 + rnd.nextInt(3));
        assertThat(WebhookSigner.verify(SECRET, Long.toString(TS), sig, longer, TS, 300)).isFalse();
    }

    @Test
    void wrongSecretsTimestampsAndSchemesAreRefused() {
        String sig = WebhookSigner.sign(SECRET, TS, BODY);
        String ts = Long.toString(TS);
        assertThat(WebhookSigner.verify(SECRET, ts, sig, BODY, TS, 300)).isTrue();
        // secrets: another one, one character off, a prefix
        assertThat(WebhookSigner.verify("whsec_0123456789abcdeF", ts, sig, BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET.substring(0, 16), ts, sig, BODY, TS, 300)).isFalse();
        // timestamps: stale, in the future beyond the tolerance, and a valid signature replayed with a fresh timestamp
        assertThat(WebhookSigner.verify(SECRET, ts, sig, BODY, TS + 301, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, sig, BODY, TS - 301, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, Long.toString(TS + 10), sig, BODY, TS + 10, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts + "0", sig, BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "", sig, BODY, TS, 300)).isFalse();
        // schemes and encodings: only v1=<hex of the full MAC>
        String hex = sig.substring(3);
        assertThat(WebhookSigner.verify(SECRET, ts, "v0=" + hex, BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, "V1=" + hex, BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, hex, BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, "v1=" + hex.substring(0, 32), BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, "v1=" + hex + "00", BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, "v1=", BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, "", BODY, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ts, "v1=" + java.util.Base64.getEncoder().encodeToString(
            java.util.HexFormat.of().parseHex(hex)), BODY, TS, 300)).isFalse();
        // a signature of the body alone (without the timestamp) is not a v1 signature
        assertThat(WebhookSigner.verify(SECRET, ts, WebhookSigner.sign(SECRET, 0, BODY), BODY, TS, 300)).isFalse();
    }
}
