package io.taintwatch.ingest.source.rpc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An RPC endpoint URL that is safe to print: scheme, host and port only. User info, the path (providers put API keys
 * there: {@code /v2/<key>}) and the query ({@code ?apikey=}) are replaced by {@code ***}. Use {@link #toString()} in
 * logs and errors, {@link #label()} as the metric label, and {@link #scrub(String)} on any message that may quote the
 * raw URL (exception texts from HTTP libraries).
 */
public final class RedactedUrl {
    private final String raw;
    private final URI uri;
    private final String shown;
    private final String host;
    private final URI request;
    private final String authorization;

    private RedactedUrl(String raw, URI uri) {
        this.raw = raw;
        this.uri = uri;
        this.host = uri.getHost() == null ? "unknown-host" : uri.getHost().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null) {
            // the JDK client ignores user info in a URL: it goes as HTTP Basic authentication, and the URL without it
            String user = uri.getUserInfo();
            this.authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(user.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // rebuilt from the raw (still encoded) parts, so that the path and query reach the node byte for byte
            String authority = uri.getRawAuthority();
            this.request = URI.create(uri.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        } else {
            this.authorization = null;
            this.request = uri;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(uri.getScheme() == null ? "?" : uri.getScheme().toLowerCase(Locale.ROOT)).append("://");
        if (uri.getRawUserInfo() != null) {
            sb.append("***@");
        }
        sb.append(host);
        if (uri.getPort() >= 0) {
            sb.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            sb.append("/***");
        }
        if (uri.getRawQuery() != null) {
            sb.append("?***");
        }
        this.shown = sb.toString();
    }

    /** Parses an endpoint URL; the error for a malformed one does not repeat it (it may hold a key). */
    public static RedactedUrl of(String url) {
        try {
            URI u = new URI(url.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("RPC endpoint is not an absolute http(s) URL (value not shown: it may hold credentials)");
            }
            return new RedactedUrl(url.strip(), u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("RPC endpoint is not a valid URL at index " + e.getIndex() + " (value not shown: it may hold credentials)");
        }
    }

    /** The real URL, for the HTTP client only: without user info, which goes in {@link #authorization()}. */
    public URI uri() {
        return request;
    }

    /** The {@code Authorization} header value for {@code user:password@} in the URL (HTTP Basic), or null. Never print it. */
    public String authorization() {
        return authorization;
    }

    public String host() {
        return host;
    }

    /**
     * The metric label: host and, when the URL names one, port. Two nodes on one host (a common self-hosted set-up)
     * stay apart; path and query, where providers put keys, never appear.
     */
    public String label() {
        return uri.getPort() >= 0 ? host + ":" + uri.getPort() : host;
    }

    /** Replaces every secret-bearing part of this URL in {@code message} with the redacted form. */
    public String scrub(String message) {
        if (message == null) {
            return null;
        }
        String m = message.replace(raw, shown).replace(uri.toString(), shown);
        if (uri.getRawUserInfo() != null) {
            m = m.replace(uri.getRawUserInfo(), "***");
        }
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            m = m.replace(path, "/***");
        }
        if (uri.getRawQuery() != null) {
            m = m.replace(uri.getRawQuery(), "***");
        }
        return m;
    }

    @Override
    public String toString() {
        return shown;
    }
}
