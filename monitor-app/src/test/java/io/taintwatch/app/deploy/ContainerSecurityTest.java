package io.taintwatch.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The image and the manifests run taintwatch as a non-root user with no secret baked in: the Dockerfile's final stage
 * switches to a numeric non-zero user, sets no secret-looking variable and copies no env file; the build context
 * excludes deploy/.env; every Kubernetes container runs as non-root without privilege escalation, with a read-only
 * root file system and all capabilities dropped; the Secret ships placeholders only and the config files no secrets.
 */
class ContainerSecurityTest {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)(secret|token|password|passwd|api[_-]?key|private[_-]?key|credential|rpc[_-]?url)");

    /** The instructions of the Dockerfile's last stage, continuation lines joined. */
    private static List<String> finalStage() throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String l : Files.readAllLines(DeployFiles.deploy().resolve("Dockerfile"))) {
            String t = l.strip();
            if (t.startsWith("#") || t.isEmpty()) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            cur.append(t);
            lines.add(cur.toString());
            cur.setLength(0);
        }
        int from = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).toUpperCase(Locale.ROOT).startsWith("FROM ")) {
                from = i;
            }
        }
        return lines.subList(from, lines.size());
    }

    @Test
    void theImageRunsAsANumericNonRootUser() throws IOException {
        List<String> stage = finalStage();
        List<String> users = stage.stream().filter(l -> l.toUpperCase(Locale.ROOT).startsWith("USER ")).toList();
        assertThat(users).as("USER in the final stage").isNotEmpty();
        String user = users.get(users.size() - 1).substring(5).strip();
        // numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd
        Matcher m = Pattern.compile("(\\d+)(?::(\\d+))?").matcher(user);
        assertThat(m.matches()).as("USER %s is numeric uid[:gid]", user).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("uid").isNotZero();
        if (m.group(2) != null) {
            assertThat(Integer.parseInt(m.group(2))).as("gid").isNotZero();
        }
        // nothing after USER switches back, and the entrypoint comes after it
        int userAt = stage.lastIndexOf(users.get(users.size() - 1));
        assertThat(stage.subList(userAt + 1, stage.size())).noneMatch(l -> l.toUpperCase(Locale.ROOT).startsWith("USER "));
        assertThat(stage.subList(userAt + 1, stage.size())).anyMatch(l -> l.toUpperCase(Locale.ROOT).startsWith("ENTRYPOINT "));
    }

    @Test
    void noSecretIsBakedIntoTheImage() throws IOException {
        Path dockerfile = DeployFiles.deploy().resolve("Dockerfile");
        for (String l : Files.readAllLines(dockerfile)) {
            String t = l.strip();
            String upper = t.toUpperCase(Locale.ROOT);
            if (upper.startsWith("ENV ") || upper.startsWith("ARG ") || upper.startsWith("LABEL ")) {
                // names like TAINTWATCH_ALERTS_API_TOKENS or RPC_URL: those come from the environment at run time
                for (String assignment : t.substring(4).strip().split("\\s+(?=[A-Za-z_][A-Za-z0-9_]*=)")) {
                    String name = assignment.contains("=") ? assignment.substring(0, assignment.indexOf('=')) : assignment.split("\\s")[0];
                    assertThat(SECRET_NAME.matcher(name).find()).as("%s sets %s", dockerfile, name).isFalse();
                }
            }
            if (upper.startsWith("COPY ") || upper.startsWith("ADD ")) {
                assertThat(t).as("%s copies an env or key file", dockerfile).doesNotContainPattern("(?i)\\.env\\b|\\.pem\\b|\\.key\\b|secret");
            }
        }
        Path ignore = DeployFiles.deploy().resolve("Dockerfile.dockerignore");
        assertThat(Files.readAllLines(ignore)).as("the build context excludes the env file with real secrets").contains("deploy/.env");
        // the example env file holds placeholders only
        Path example = DeployFiles.deploy().resolve(".env.example");
        if (Files.exists(example)) {
            for (String l : Files.readAllLines(example)) {
                if (!l.strip().startsWith("#") && l.contains("=") && SECRET_NAME.matcher(l.substring(0, l.indexOf('='))).find()) {
                    String value = l.substring(l.indexOf('=') + 1).strip();
                    assertThat(value.isEmpty() || placeholder(value)).as(".env.example %s is a placeholder", l).isTrue();
                }
            }
        }
    }

    @Test
    void kubernetesContainersRunAsNonRootWithoutPrivileges() {
        int containers = 0;
        for (JsonNode d : k8sDocs()) {
            String kind = d.path("kind").asText();
            if (!List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob").contains(kind)) {
                continue;
            }
            String name = kind + " " + d.path("metadata").path("name").asText();
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode podSc = pod.path("securityContext");
            assertThat(podSc.path("runAsNonRoot").asBoolean()).as("%s runAsNonRoot", name).isTrue();
            assertThat(podSc.path("runAsUser").asInt(-1)).as("%s runAsUser", name).isPositive();
            assertThat(pod.path("hostNetwork").asBoolean(false)).as("%s hostNetwork", name).isFalse();
            assertThat(pod.path("hostPID").asBoolean(false)).as("%s hostPID", name).isFalse();
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : pod.path(list)) {
                    containers++;
                    String cn = name + " container " + c.path("name").asText();
                    JsonNode sc = c.path("securityContext");
                    assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as("%s allowPrivilegeEscalation", cn).isFalse();
                    assertThat(sc.path("privileged").asBoolean(false)).as("%s privileged", cn).isFalse();
                    assertThat(sc.path("readOnlyRootFilesystem").asBoolean(false)).as("%s readOnlyRootFilesystem", cn).isTrue();
                    assertThat(sc.path("capabilities").path("drop").toString()).as("%s drops all capabilities", cn).contains("\"ALL\"");
                    if (sc.has("runAsUser")) {
                        assertThat(sc.path("runAsUser").asInt()).as("%s runAsUser", cn).isPositive();
                    }
                    // secrets come from a Secret, never as literal values in the manifest
                    for (JsonNode e : c.path("env")) {
                        if (SECRET_NAME.matcher(e.path("name").asText()).find()) {
                            assertThat(e.has("value")).as("%s env %s is a literal", cn, e.path("name").asText()).isFalse();
                        }
                    }
                }
            }
        }
        assertThat(containers).as("containers checked").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theShippedSecretHoldsPlaceholdersAndTheConfigsNoSecrets() throws IOException {
        boolean secretSeen = false;
        for (JsonNode d : k8sDocs()) {
            if (d.path("kind").asText().equals("Secret")) {
                secretSeen = true;
                var it = d.path("stringData").fields();
                while (it.hasNext()) {
                    var e = it.next();
                    if (SECRET_NAME.matcher(e.getKey()).find()) {
                        assertThat(placeholder(e.getValue().asText())).as("Secret %s = %s is a placeholder", e.getKey(), e.getValue().asText())
                            .isTrue();
                    }
                }
                assertThat(d.path("data").isMissingNode() || d.path("data").isEmpty()).as("no base64 data in the shipped Secret").isTrue();
            }
        }
        assertThat(secretSeen).isTrue();
        // the config files (compose's and the ConfigMap's) carry no secret keys at all
        List<Path> configs = new ArrayList<>(List.of(DeployFiles.deploy().resolve("config/taintwatch.yaml")));
        for (Path cfg : configs) {
            String text = Files.readString(cfg);
            for (String line : text.lines().toList()) {
                String t = line.strip();
                if (t.startsWith("#") || !t.contains(":")) {
                    continue;
                }
                String key = t.substring(0, t.indexOf(':'));
                assertThat(SECRET_NAME.matcher(key).find() && !t.substring(t.indexOf(':') + 1).isBlank())
                    .as("%s sets %s", cfg, key).isFalse();
            }
        }
    }

    @Test
    void composeHasNoDefaultForAnySecret() throws IOException {
        // ${NAME:-default} for a secret would start the stack with a guessable value (Grafana's admin password was one)
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+):-([^}]*)}").matcher(Files.readString(DeployFiles.deploy().resolve("docker-compose.yml")));
        List<String> defaulted = new ArrayList<>();
        while (m.find()) {
            if (SECRET_NAME.matcher(m.group(1)).find()) {
                defaulted.add(m.group(0));
            }
        }
        assertThat(defaulted).as("secrets with a default in docker-compose.yml").isEmpty();
    }

    /** Obvious placeholders: REPLACE-ME, example hosts, change-me. */
    private static boolean placeholder(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        return l.contains("replace-me") || l.contains("change-me") || l.contains("changeme") || l.contains("example")
            || l.contains("<") || l.equals("ops");
    }

    private static List<JsonNode> k8sDocs() {
        try (Stream<Path> files = Files.list(DeployFiles.deploy().resolve("k8s"))) {
            List<JsonNode> docs = new ArrayList<>();
            files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                .forEach(f -> docs.addAll(DeployFiles.yamlDocs(f)));
            return docs;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
