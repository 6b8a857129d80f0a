package io.taintwatch.alerts.delivery;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Webhook endpoints and the consumer group prefix of their outboxes: each endpoint consumes the {@code alerts}
 * topic in its own group ({@code <groupPrefix><name>}) and commits only after delivery or dead-lettering.
 */
public record WebhooksConfig(List<WebhookEndpoint> endpoints, String groupPrefix) {
    public WebhooksConfig {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        groupPrefix = groupPrefix == null || groupPrefix.isBlank() ? "taintwatch-webhook-" : groupPrefix;
        Set<String> names = new HashSet<>();
        for (WebhookEndpoint e : endpoints) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("webhook name '" + e.name() + "' is used twice");
            }
        }
    }

    public static WebhooksConfig none() {
        return new WebhooksConfig(List.of(), null);
    }
}
