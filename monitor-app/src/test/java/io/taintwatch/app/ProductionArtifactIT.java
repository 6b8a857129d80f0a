package io.taintwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The production artifact, from its CycloneDX SBOM (written at {@code package}, runtime scope): it ships no broker, Scala,
 * log4j, devnet, demo or benchmark code and none of web3j's transports, and docs/security.md's table lists exactly what it
 * ships.
 */
public class ProductionArtifactIT {
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    static Path moduleDir() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.exists(dir.resolve("monitor-app")) ? dir.resolve("monitor-app") : dir;
    }

    static Set<String> shipped() throws Exception {
        Set<String> out = new TreeSet<>();
        sbom().path("components").forEach(c -> out.add(c.path("group").asText() + ":" + c.path("name").asText()));
        return out;
    }

    /** The jar file names of the artifact (monitor-app's and its runtime dependencies'), as the image's lib directory holds them. */
    public static Set<String> jarNames() throws Exception {
        JsonNode sbom = sbom();
        Function<JsonNode, String> jar = c -> c.path("name").asText() + "-" + c.path("version").asText() + ".jar";
        Set<String> out = new TreeSet<>();
        out.add(jar.apply(sbom.path("metadata").path("component")));
        sbom.path("components").forEach(c -> out.add(jar.apply(c)));
        return out;
    }

    private static JsonNode sbom() throws Exception {
        Path sbom = moduleDir().resolve("target/taintwatch-sbom.json");
        assertThat(sbom).as("the SBOM written at package (cyclonedx-maven-plugin)").exists();
        // the plugin skips in offline builds (mvn -o): a stale SBOM would describe another build
        try (var jars = Files.list(moduleDir().resolve("target"))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().matches("monitor-app-.*(?<!-tests)\\.jar")).toList()) {
                assertThat(Files.getLastModifiedTime(sbom).toMillis()).as("the SBOM is this build's (run Maven online: the CycloneDX plugin "
                    + "does not run with -o)").isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar).toMillis() - 60_000);
            }
        }
        return new ObjectMapper().readTree(sbom.toFile());
    }

    /** The components docs/security.md lists ("What the production artifact ships"); a trailing {@code *} matches a prefix. */
    static List<String> documented() throws Exception {
        String doc = Files.readString(moduleDir().getParent().resolve("docs/security.md"));
        String section = doc.substring(doc.indexOf("## What the production artifact ships"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        List<String> out = new ArrayList<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String first = line.split("\\|")[1];
            Matcher m = TICKED.matcher(first);
            String group = null;
            while (m.find()) {
                String item = m.group(1);
                if (item.contains(":")) {
                    group = item.substring(0, item.indexOf(':'));
                    out.add(item);
                } else {
                    out.add(group + ":" + item);
                }
            }
        }
        return out;
    }

    @Test
    void theImageCarriesNoBrokerDevnetDemoBenchmarkOrUnusedTransport() throws Exception {
        Set<String> shipped = shipped();
        assertThat(shipped).isNotEmpty().contains("org.apache.kafka:kafka-streams", "io.taintwatch:monitor-ingest");
        assertThat(shipped).allSatisfy(c -> assertThat(c).as("a shipped component").doesNotStartWith("org.scala-lang:")
            .doesNotStartWith("org.apache.logging.log4j:").doesNotStartWith("io.vertx:").doesNotStartWith("io.netty:")
            .doesNotStartWith("com.squareup.okhttp3:").doesNotStartWith("org.java-websocket:").doesNotStartWith("com.github.jnr:")
            .doesNotStartWith("io.consensys.tuweni:")
            .isNotIn("org.apache.kafka:kafka_2.13", "org.apache.kafka:kafka-server", "org.apache.kafka:kafka-raft", "org.apache.kafka:kafka-metadata",
                "io.taintwatch:monitor-embedded", "io.taintwatch:monitor-devnet", "io.taintwatch:monitor-demo"));
    }

    @Test
    void securityMdListsExactlyWhatShips() throws Exception {
        Set<String> shipped = shipped();
        List<String> documented = documented();
        List<String> unlisted = shipped.stream().filter(c -> documented.stream().noneMatch(d -> matches(d, c))).toList();
        List<String> notShipped = documented.stream().filter(d -> shipped.stream().noneMatch(c -> matches(d, c))).toList();
        assertThat(unlisted).as("shipped but not in docs/security.md's table").isEmpty();
        assertThat(notShipped).as("in docs/security.md's table but not shipped").isEmpty();
    }

    private static boolean matches(String documented, String component) {
        return documented.endsWith("*") ? component.startsWith(documented.substring(0, documented.length() - 1)) : documented.equals(component);
    }
}
