package io.taintwatch.alerts.delivery;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignerTest {
    private static final String SECRET = "whsec_0123456789abcdef";
    private static final byte[] BODY = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    /** The receiver-side check exactly as docs/alert-schema.md shows it, written without our classes. */
    static boolean docsVerify(String secret, String timestamp, String signatureHeader, byte[] body, long now) throws Exception {
        if (Math.abs(now - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String part : signatureHeader.split(",")) {
            String p = part.trim();
            if (p.startsWith("v1=") && MessageDigest.isEqual(expected, HexFormat.of().parseHex(p.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aSignatureVerifiesWithTheDocumentedReceiverCode() throws Exception {
        String sig = WebhookSigner.sign(SECRET, 1_700_000_000L, BODY);
        assertThat(sig).matches("v1=[0-9a-f]{64}");
        assertThat(docsVerify(SECRET, "1700000000", sig, BODY, 1_700_000_100L)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, "1700000000", sig, BODY, 1_700_000_100L, 300)).isTrue();
    }

    @Test
    void tamperingWrongSecretsAndStaleTimestampsFail() {
        String sig = WebhookSigner.sign(SECRET, 1_700_000_000L, BODY);
        assertThat(WebhookSigner.verify(SECRET, "1700000000", sig, "{\"id\":\"y\"}".getBytes(), 1_700_000_000L, 300)).isFalse();
        assertThat(WebhookSigner.verify("whsec_another-secret-x", "1700000000", sig, BODY, 1_700_000_000L, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1700000001", sig, BODY, 1_700_000_000L, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1700000000", sig, BODY, 1_700_000_301L, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "garbage", sig, BODY, 1_700_000_000L, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1700000000", "v1=zz", BODY, 1_700_000_000L, 300)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, null, sig, BODY, 1_700_000_000L, 300)).isFalse();
    }

    @Test
    void anyOfSeveralSignaturesMayMatchDuringSecretRotation() {
        String sig = WebhookSigner.sign(SECRET, 10, BODY);
        assertThat(WebhookSigner.verify(SECRET, "10", "v1=" + "00".repeat(32) + ", " + sig, BODY, 10, 300)).isTrue();
    }

    @Test
    void endpointsKeepTheirSecretOutOfToStringAndBackOffExponentially() {
        WebhookEndpoint e = new WebhookEndpoint("soc", URI.create("https://soc.example/hook"), SECRET, Set.of(), Set.of(), Set.of(), null,
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5));
        assertThat(e.toString()).doesNotContain(SECRET).contains("secret=***");
        assertThat(e.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(e.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.backoffAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(e.backoffAfter(5)).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> WebhookEndpoint.of("x", URI.create("https://a"), "short")).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> WebhookEndpoint.of("x", URI.create("ftp://a"), SECRET)).hasMessageContaining("http or https");
    }

    @Test
    void statusCodesAreClassifiedOnce() {
        assertThat(DeliveryResult.of(204).kind()).isEqualTo(DeliveryResult.Kind.DELIVERED);
        assertThat(DeliveryResult.of(500).kind()).isEqualTo(DeliveryResult.Kind.RETRIABLE);
        assertThat(DeliveryResult.of(429).kind()).isEqualTo(DeliveryResult.Kind.RETRIABLE);
        assertThat(DeliveryResult.of(408).kind()).isEqualTo(DeliveryResult.Kind.RETRIABLE);
        assertThat(DeliveryResult.of(400).kind()).isEqualTo(DeliveryResult.Kind.PERMANENT);
        assertThat(DeliveryResult.of(404).kind()).isEqualTo(DeliveryResult.Kind.PERMANENT);
    }
}
