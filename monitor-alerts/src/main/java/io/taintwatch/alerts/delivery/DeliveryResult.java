package io.taintwatch.alerts.delivery;

/** The outcome of one delivery attempt: delivered, worth retrying (timeout, 5xx, 408, 429), or permanent (other 4xx). */
public record DeliveryResult(Kind kind, int status, String reason) {
    public enum Kind { DELIVERED, RETRIABLE, PERMANENT }

    public static DeliveryResult of(int status) {
        if (status >= 200 && status < 300) {
            return new DeliveryResult(Kind.DELIVERED, status, "HTTP " + status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new DeliveryResult(Kind.RETRIABLE, status, "HTTP " + status);
        }
        return new DeliveryResult(Kind.PERMANENT, status, "HTTP " + status + " (not retried: the receiver refused the request)");
    }

    public static DeliveryResult failed(String reason) {
        return new DeliveryResult(Kind.RETRIABLE, 0, reason);
    }
}
