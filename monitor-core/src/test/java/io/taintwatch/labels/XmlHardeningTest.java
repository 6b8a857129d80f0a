package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDN XML importer reads files downloaded from the internet: a DOCTYPE (and with it every entity trick:
 * external entities, external DTDs, parameter entities, entity expansion bombs) is refused before anything is
 * resolved or expanded, with the file and line of the DOCTYPE.
 */
class XmlHardeningTest {
    private static final String SECRET = "TOPSECRET-c0ffee-42";
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = ("<!ENTITY leak \"" + SECRET + "\">").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The fixture with a DOCTYPE on line 2 and {@code use} in place of the first address. */
    private static String withDoctype(String doctype, String use) {
        String text = ImporterFixtures.ofacXml().text();
        int nl = text.indexOf('\n');
        return text.substring(0, nl + 1) + doctype + "\n" + text.substring(nl + 1).replace(ImporterFixtures.A, use);
    }

    private static void assertRefused(String xml) {
        for (ImportMode mode : ImportMode.values()) {
            assertThatThrownBy(() -> new OfacSdnXmlImporter().extract(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "evil.xml", mode))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("evil.xml:2: ")
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining("root:");
        }
    }

    @Test
    void externalEntitiesAreNeverRead() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, SECRET);
        assertRefused(withDoctype("<!DOCTYPE Sanctions [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>", "&xxe;"));
        assertRefused(withDoctype("<!DOCTYPE Sanctions [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>", "&xxe;"));
    }

    @Test
    void externalDtdsAndParameterEntitiesAreNeverFetched() {
        assertRefused(withDoctype("<!DOCTYPE Sanctions SYSTEM \"" + url("/sdn.dtd") + "\">", "&leak;"));
        assertRefused(withDoctype("<!DOCTYPE Sanctions [<!ENTITY % p SYSTEM \"" + url("/p.dtd") + "\"> %p;]>", "&leak;"));
        assertRefused(withDoctype("<!DOCTYPE Sanctions [<!ENTITY xxe SYSTEM \"" + url("/x") + "\">]>", "&xxe;"));
        assertThat(requests).as("HTTP requests made by the parser").hasValue(0);
    }

    @Test
    void entityExpansionBombsAreRefusedBeforeExpanding() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE Sanctions [<!ENTITY lol0 \"lollollollollollollollollollol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i - 1) + ";").repeat(10));
            dtd.append("\">");
        }
        dtd.append("]>");
        assertRefused(withDoctype(dtd.toString(), "&lol9;"));
        // quadratic blowup: one big entity referenced many times
        assertRefused(withDoctype("<!DOCTYPE Sanctions [<!ENTITY big \"" + "x".repeat(100_000) + "\">]>", "&big;".repeat(10_000)));
    }

    @Test
    void anUndeclaredEntityIsAClearErrorWithItsLine() {
        String xml = ImporterFixtures.ofacXml().text().replace(ImporterFixtures.A, "&xxe;");
        int line = (int) ImporterFixtures.lineOf(xml, xml.indexOf("&xxe;"));
        assertThatThrownBy(() -> new OfacSdnXmlImporter().extract(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
            "evil.xml", ImportMode.LENIENT))
            .isInstanceOf(ImportException.class)
            .hasMessageStartingWith("evil.xml:" + line + ": ")
            .hasMessageContaining("xxe");
    }
}
