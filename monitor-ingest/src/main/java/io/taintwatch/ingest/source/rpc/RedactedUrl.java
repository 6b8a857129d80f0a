package io.taintwatch.ingest.source.rpc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An RPC endpoint URL that is safe to print: scheme, host and port only. User info, the path (providers put API keys
 * there: {@code /v2/<key>}) and the query ({@code ?apikey=}) are replaced by {@code ***}. Use {@link #toString()} in
 * logs and errors, {@link #label()} as the metric label, and {@link #scrub(String)} on any message that may quote the
 * raw URL (exception texts from HTTP libraries).
 */
public final class RedactedUrl {
    /** Path segments and query values at least this long are treated as keys (API keys are 32 characters or more). */
    static final int MIN_KEY_CHARS = 16;

    private final String raw;
    private final URI uri;
    private final String shown;
    private final String host;
    private final URI request;
    private final String authorization;
    /** The parts of the URL that may hold a credential, longest first, and what each is shown as. */
    private final String[] secrets;
    private final String[] replacements;

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
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put(raw, shown);
        parts.putIfAbsent(uri.toString(), shown);
        if (uri.getRawUserInfo() != null) {
            parts.putIfAbsent(uri.getRawUserInfo(), "***");
            parts.putIfAbsent(uri.getUserInfo(), "***");
        }
        if (path != null && path.length() > 1) {
            parts.putIfAbsent(path, "/***");
        }
        if (uri.getRawQuery() != null) {
            parts.putIfAbsent(uri.getRawQuery(), "***");
        }
        // a node's error may quote the key alone, without the path around it: path segments and query values long
        // enough to be keys are secrets too
        List<String> pieces = new ArrayList<>(path == null ? List.of() : List.of(path.split("/")));
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                pieces.add(kv.substring(kv.indexOf('=') + 1));
            }
        }
        for (String piece : pieces) {
            if (piece.length() >= MIN_KEY_CHARS) {
                parts.putIfAbsent(piece, "***");
            }
        }
        List<String> keys = new ArrayList<>(parts.keySet());
        keys.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = keys.toArray(String[]::new);
        this.replacements = keys.stream().map(parts::get).toArray(String[]::new);
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
        return message == null ? null : excerpt(message, Integer.MAX_VALUE);
    }

    /**
     * {@code text} scrubbed as by {@link #scrub(String)} and cut to at most {@code max} characters, scrubbing first: a
     * secret that straddles the cut is replaced whole, never left half-shown. Reads only as much of {@code text} as the
     * excerpt needs.
     */
    public String excerpt(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        int i = 0;
        scan:
        while (i < text.length() && out.length() < max) {
            for (int k = 0; k < secrets.length; k++) {
                if (text.startsWith(secrets[k], i)) {
                    out.append(replacements[k]);
                    i += secrets[k].length();
                    continue scan;
                }
            }
            out.append(text.charAt(i++));
        }
        if (out.length() > max) {
            out.setLength(max);
        }
        return i < text.length() ? out.append("...").toString() : out.toString();
    }

    /** The longest secret-bearing part: an excerpt of {@code max} characters reads at most {@code max} times this many. */
    public int longestSecret() {
        return secrets.length == 0 ? 1 : secrets[0].length();
    }

    @Override
    public String toString() {
        return shown;
    }
}
