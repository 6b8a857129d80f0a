package io.taintwatch.alerts.api;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * The analyst console: on or off, and per chain name the block-explorer links it (and the exported case pages) put on
 * transactions and addresses: URL templates with {@code {tx}} or {@code {address}}, empty for no link.
 */
public record ConsoleConfig(boolean enabled, Map<String, Explorer> explorers) {
    /** A chain's block-explorer URL templates. */
    public record Explorer(String txUrl, String addressUrl) {
        public Explorer {
            txUrl = check(txUrl, "{tx}");
            addressUrl = check(addressUrl, "{address}");
        }

        private static String check(String template, String placeholder) {
            if (template == null || template.isBlank()) {
                return "";
            }
            String t = template.strip();
            if (!t.contains(placeholder)) {
                throw new IllegalArgumentException("explorer URL '" + t + "' must contain " + placeholder);
            }
            URI u = URI.create(t.replace(placeholder, "x"));
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                throw new IllegalArgumentException("explorer URL '" + t + "' must be http or https");
            }
            return t;
        }
    }

    public ConsoleConfig {
        explorers = explorers == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(explorers));
    }

    /** On, without explorer links. */
    public static ConsoleConfig defaults() {
        return new ConsoleConfig(true, Map.of());
    }
}
