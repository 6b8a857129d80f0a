package io.taintwatch.alerts.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;

/** Sends one signed webhook request (one attempt) and classifies the outcome; never logs the secret. */
public final class WebhookSender {
    private final HttpClient http;
    private final Clock clock;

    public WebhookSender(Clock clock) {
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One attempt; failure reasons never quote the endpoint's URL (it may hold a token): see {@link WebhookEndpoint#scrub}. */
    public DeliveryResult send(WebhookEndpoint e, String alertId, long alertVersion, int attempt, byte[] body) throws InterruptedException {
        try {
            return attempt(e, alertId, alertVersion, attempt, body);
        } catch (IllegalArgumentException bad) {
            // the JDK client quotes the URI in what it refuses
            return new DeliveryResult(DeliveryResult.Kind.PERMANENT, 0, "request refused by the HTTP client: " + e.scrub(bad.getMessage()));
        }
    }

    private DeliveryResult attempt(WebhookEndpoint e, String alertId, long alertVersion, int attempt, byte[] body) throws InterruptedException {
        long ts = clock.instant().getEpochSecond();
        HttpRequest req = HttpRequest.newBuilder(e.url()).timeout(e.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "taintwatch-webhooks/1")
            .header(WebhookSigner.HEADER_TIMESTAMP, Long.toString(ts))
            .header(WebhookSigner.HEADER_SIGNATURE, WebhookSigner.sign(e.secret(), ts, body))
            .header(WebhookSigner.HEADER_ALERT_ID, alertId)
            .header(WebhookSigner.HEADER_ALERT_VERSION, Long.toString(alertVersion))
            .header(WebhookSigner.HEADER_ATTEMPT, Integer.toString(attempt))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            return DeliveryResult.of(r.statusCode());
        } catch (HttpTimeoutException t) {
            return DeliveryResult.failed("timeout after " + e.timeout().toMillis() + " ms");
        } catch (IOException io) {
            return DeliveryResult.failed("connection failed: " + io.getClass().getSimpleName()
                + (io.getMessage() == null ? "" : ": " + e.scrub(io.getMessage())));
        }
    }
}
