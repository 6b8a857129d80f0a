package io.taintwatch.alerts.console;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The analyst console's static files, served from the classpath: the console's own files and the graph libraries
 * from their WebJars (Cytoscape.js draws, dagre lays out; docs/console.md says why). Nothing is fetched at run time.
 * Every answer carries a Content-Security-Policy that allows scripts, styles and connections from this origin only
 * (no inline script), and forbids framing.
 */
public final class ConsoleAssets {
    /** WebJar versions: the same as the dependencies in monitor-alerts' pom ({@code ConsoleAssetsTest} checks they resolve). */
    static final String CYTOSCAPE = "META-INF/resources/webjars/cytoscape/3.33.1/dist/cytoscape.min.js";
    static final String DAGRE = "META-INF/resources/webjars/dagre/0.8.4/dist/dagre.min.js";
    private static final String OWN = "io/taintwatch/alerts/console/";

    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Served name -> classpath resource. */
    private static final Map<String, String> FILES = Map.of(
        "", OWN + "index.html",
        "index.html", OWN + "index.html",
        "console.css", OWN + "console.css",
        "console.js", OWN + "console.js",
        "tw-graph.js", OWN + "tw-graph.js",
        "lib/cytoscape.min.js", CYTOSCAPE,
        "lib/dagre.min.js", DAGRE);

    private ConsoleAssets() {}

    /** Answers {@code GET /console/<name>}; the status sent. */
    public static int serve(HttpExchange ex, String name) throws IOException {
        String resource = FILES.get(name);
        byte[] body = resource == null ? null : read(resource);
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : name.endsWith(".css") ? "text/css; charset=utf-8"
            : "text/html; charset=utf-8";
        int status = body == null ? 404 : 200;
        if (body == null) {
            body = "not found".getBytes(StandardCharsets.UTF_8);
            type = "text/plain; charset=utf-8";
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Cache-Control", resource != null && resource.startsWith("META-INF/") ? "max-age=86400" : "no-cache");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    /** The scripts a self-contained page needs to draw a path graph, inline (a report or an exported case, opened offline). */
    public static String inlineGraphScripts() {
        StringBuilder sb = new StringBuilder();
        for (String r : new String[] {CYTOSCAPE, DAGRE, OWN + "tw-graph.js"}) {
            // "</script" cannot occur inside a script element; the minified libraries are checked by ConsoleAssetsTest
            byte[] js = java.util.Objects.requireNonNull(read(r), () -> "console resource missing from the classpath: " + r);
            sb.append("<script>").append(new String(js, StandardCharsets.UTF_8).replace("</script", "<\\/script")).append("</script>\n");
        }
        return sb.toString();
    }

    /** The graph component's style rules, for inline use in a self-contained page. */
    public static String graphCss() {
        String css = new String(java.util.Objects.requireNonNull(read(OWN + "console.css"), "console.css missing"), StandardCharsets.UTF_8);
        int from = css.indexOf("/* graph */");
        int to = css.indexOf("/* end graph */");
        return from < 0 || to < 0 ? "" : css.substring(from, to);
    }

    static byte[] read(String resource) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
