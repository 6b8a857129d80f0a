package io.taintwatch.app.deploy;

import static io.taintwatch.app.deploy.DeployFiles.deploy;
import static io.taintwatch.app.deploy.DeployFiles.root;
import static io.taintwatch.app.deploy.DeployFiles.yaml;
import static io.taintwatch.app.deploy.DeployFiles.yamlDocs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.app.config.ConfigKeys;
import io.taintwatch.app.config.PipelineConfig;
import io.taintwatch.app.config.TaintwatchConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Static checks of deploy/: every YAML/JSON file parses, every configuration key and TAINTWATCH_* variable the
 * compose and Kubernetes files use is a documented taintwatch key, and ports, service names, paths and probes agree.
 */
class DeployFilesTest {
    /** Variables of the launcher and image, not configuration keys. */

    // ---------------------------------------------------------------- parsing

    @Test
    void everyYamlAndJsonFileParses() {
        List<Path> yamls = new ArrayList<>(DeployFiles.files(deploy(), ".yml"));
        yamls.addAll(DeployFiles.files(deploy(), ".yaml"));
        assertThat(yamls).extracting(p -> deploy().relativize(p).toString())
            .contains("docker-compose.yml", "prometheus/prometheus.yml", "prometheus/alerts.yml", "k8s/20-taint.yaml");
        for (Path y : yamls) {
            assertThat(yamlDocs(y)).as("%s has YAML documents", y).isNotEmpty();
        }
        assertThat(DeployFiles.dashboardFiles()).hasSizeGreaterThanOrEqualTo(5);
        DeployFiles.dashboardFiles().forEach(DeployFiles::json);
    }

    // ---------------------------------------------------------------- configuration keys

    /** Every config file deploy/ ships: the compose one and the ConfigMap's, flattened to dotted keys. */
    private static Map<String, Map<String, String>> configFiles() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Path f : DeployFiles.files(deploy().resolve("config"), ".yaml")) {
            out.put(root().relativize(f).toString(), DeployFiles.flatten(yaml(f)));
        }
        for (JsonNode d : k8sDocs()) {
            if (d.path("kind").asText().equals("ConfigMap")) {
                d.path("data").fields().forEachRemaining(e -> {
                    String where = "ConfigMap " + d.path("metadata").path("name").asText() + " " + e.getKey();
                    out.put(where, DeployFiles.flatten(DeployFiles.yamlText(e.getValue().asText(), where)));
                });
            }
        }
        return out;
    }

    /** Every TAINTWATCH_* variable deploy/ sets: compose environment, .env.example, Kubernetes Secrets and env. */
    private static Map<String, String> envVars() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        compose().path("services").fields().forEachRemaining(s -> {
            JsonNode env = s.getValue().path("environment");
            if (env.isObject()) {
                env.fieldNames().forEachRemaining(n -> out.put(n, "compose service " + s.getKey()));
            } else {
                env.forEach(n -> out.put(n.asText().split("=", 2)[0], "compose service " + s.getKey()));
            }
        });
        for (String line : Files.readAllLines(deploy().resolve(".env.example"))) {
            String l = line.strip().replaceFirst("^#\\s*", "");
            if (l.matches("[A-Z][A-Z0-9_]*=.*")) {
                out.put(l.substring(0, l.indexOf('=')), "deploy/.env.example");
            }
        }
        for (JsonNode d : k8sDocs()) {
            String where = d.path("kind").asText() + " " + d.path("metadata").path("name").asText();
            if (d.path("kind").asText().equals("Secret")) {
                d.path("stringData").fieldNames().forEachRemaining(n -> out.put(n, where));
                d.path("data").fieldNames().forEachRemaining(n -> out.put(n, where));
            }
            for (JsonNode c : podSpec(d).path("containers")) {
                c.path("env").forEach(e -> out.put(e.path("name").asText(), where));
            }
        }
        out.keySet().removeIf(n -> !n.startsWith("TAINTWATCH_"));
        return out;
    }

    /**
     * Every shipped configuration loads as {@code taintwatch run} loads it, with the variables deploy/ sets beside it: the
     * loader refuses an unknown key or an unknown TAINTWATCH_* variable, so this also proves every key and variable deploy/
     * uses is declared (and therefore documented: docs/configuration.md is generated from the declarations).
     */
    @Test
    void shippedConfigurationsLoadLikeTheRunCommand(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Map<String, String> composeEnv = new LinkedHashMap<>();
        for (String line : Files.readAllLines(deploy().resolve(".env.example"))) {
            String l = line.strip().replaceFirst("^#\\s*", "");
            if (l.matches("TAINTWATCH_[A-Z0-9_]*=.*")) {
                composeEnv.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        compose().path("services").fields().forEachRemaining(svc -> {
            JsonNode env = svc.getValue().path("environment");
            if (env.isObject()) {
                env.fields().forEachRemaining(e -> composeEnv.putIfAbsent(e.getKey(), e.getValue().asText()));
            } else {
                env.forEach(n -> {
                    String[] kv = n.asText().split("=", 2);
                    composeEnv.putIfAbsent(kv[0], kv.length > 1 ? kv[1] : "");
                });
            }
        });
        composeEnv.replaceAll((k, v) -> v.contains("${") ? v.replaceAll("\\$\\{[^}]*:-([^}]*)}", "$1").replaceAll("\\$\\{[^}]*}", "x") : v);
        checkLoads(deploy().resolve("config/taintwatch.yaml"), composeEnv);
        int configMaps = 0;
        for (JsonNode d : k8sDocs()) {
            if (d.path("kind").asText().equals("ConfigMap")) {
                Path f = tmp.resolve("taintwatch-" + configMaps++ + ".yaml");
                Files.writeString(f, d.path("data").path("taintwatch.yaml").asText());
                Map<String, String> k8sEnv = new LinkedHashMap<>();
                for (JsonNode x : k8sDocs()) {
                    if (x.path("kind").asText().equals("Secret")) {
                        x.path("stringData").fields().forEachRemaining(e -> k8sEnv.put(e.getKey(), e.getValue().asText()));
                    }
                    for (JsonNode c : podSpec(x).path("containers")) {
                        c.path("env").forEach(e -> {
                            if (e.path("name").asText().startsWith("TAINTWATCH_")) {
                                k8sEnv.putIfAbsent(e.path("name").asText(), e.path("value").asText("from-a-reference"));
                            }
                        });
                    }
                }
                checkLoads(f, k8sEnv);
            }
        }
        assertThat(configMaps).isPositive();
    }

    private static void checkLoads(Path file, Map<String, String> env) {
        PipelineConfig c = new PipelineConfig(TaintwatchConfig.load(file, env, Map.of()));
        assertThat(c.ingestChains()).as("%s chains", file).isNotEmpty();
        c.taint();
        assertThat(c.api().tokens()).as("%s API tokens from the environment", file).isNotEmpty();
        assertThat(c.raw().webhookNames()).as("%s webhooks from the environment", file).contains("ops");
        assertThat(c.webhooks().endpoints()).as("%s webhook endpoints", file).isNotEmpty();
    }

    /** The check above can fail: the loader refuses a typo in a key and in a variable, naming the nearest known one. */
    @Test
    void undeclaredKeysAndVariablesAreRefused(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("t.yaml");
        Files.writeString(f, "kafka:\n  bootstrap-server: k:9092\n");
        assertThatThrownBy(() -> TaintwatchConfig.load(f, Map.of(), Map.of())).hasMessageContaining("'kafka.bootstrap-server'")
            .hasMessageContaining("did you mean 'kafka.bootstrap-servers'");
        assertThatThrownBy(() -> TaintwatchConfig.load(null, Map.of("TAINTWATCH_HTTP_PROT", "1"), Map.of()))
            .hasMessageContaining("TAINTWATCH_HTTP_PROT").hasMessageContaining("TAINTWATCH_HTTP_PORT");
        assertThat(TaintwatchConfig.load(null, Map.of("TAINTWATCH_KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL", "TAINTWATCH_JAVA_OPTS", "-Xmx1g"), Map.of())
            .withPrefix("kafka.client.")).containsEntry("security.protocol", "SSL");
    }

    // ---------------------------------------------------------------- compose wiring

    /**
     * docker-compose.yml with YAML merge keys applied. Jackson reads {@code <<: *name} as the string "name"; our
     * compose file names each anchor after its extension field ({@code x-name: &name}), so the merge is resolved here.
     */
    private static JsonNode compose() {
        JsonNode root = yaml(deploy().resolve("docker-compose.yml"));
        root.path("services").fields().forEachRemaining(s -> {
            JsonNode merge = s.getValue().path("<<");
            if (!merge.isMissingNode()) {
                JsonNode base = root.path("x-" + merge.asText());
                assertThat(base.isObject()).as("service %s merges x-%s", s.getKey(), merge.asText()).isTrue();
                com.fasterxml.jackson.databind.node.ObjectNode svc = (com.fasterxml.jackson.databind.node.ObjectNode) s.getValue();
                svc.remove("<<");
                base.fields().forEachRemaining(e -> {
                    if (!svc.has(e.getKey())) {
                        svc.set(e.getKey(), e.getValue().deepCopy());
                    }
                });
            }
        });
        return root;
    }

    private static int port(Map<String, String> config, String key) {
        return Integer.parseInt(config.getOrDefault(key, TaintwatchConfig.defaults().string(key)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void composeServicesPortsAndPathsAgree() {
        JsonNode services = compose().path("services");
        Map<String, String> config = DeployFiles.flatten(yaml(deploy().resolve("config/taintwatch.yaml")));
        int http = port(config, ConfigKeys.HTTP_PORT);
        int metrics = port(config, ConfigKeys.METRICS_PORT);
        assertThat(config.get(ConfigKeys.HTTP_BIND)).as("containers must listen on all interfaces").isEqualTo("0.0.0.0");

        // the taintwatch parts: each runs one part with the mounted config file
        Map<String, String> parts = new LinkedHashMap<>();
        services.fields().forEachRemaining(s -> {
            List<String> cmd = strings(s.getValue().path("command"));
            if (!cmd.isEmpty() && cmd.get(0).equals("run")) {
                assertThat(cmd).as("service %s", s.getKey()).contains("--config", "--parts");
                String file = cmd.get(cmd.indexOf("--config") + 1);
                assertThat(strings(s.getValue().path("volumes")))
                    .as("service %s mounts its config file", s.getKey()).contains("./config/taintwatch.yaml:" + file + ":ro");
                parts.put(s.getKey(), cmd.get(cmd.indexOf("--parts") + 1));
                assertThat(strings(s.getValue().path("healthcheck").path("test")))
                    .as("service %s health check", s.getKey()).anyMatch(a -> a.contains("/dev/tcp/127.0.0.1/" + metrics) && a.contains("GET /health "));
                for (String p : strings(s.getValue().path("ports"))) {
                    assertThat(p).as("service %s publishes metrics.port or http.port", s.getKey()).matches(".*:(" + metrics + "|" + http + ")");
                }
            }
        });
        assertThat(parts).containsEntry("ingest", "ingest").containsEntry("taint", "taint").containsEntry("alerts", "alerts");
        assertThat(strings(services.path("alerts").path("ports"))).as("alert API published").anyMatch(p -> p.endsWith(":" + http));
        assertThat(strings(services.path("taint").path("volumes")))
            .as("taint state volume at state.dir").anyMatch(v -> v.endsWith(":" + config.get(ConfigKeys.STATE_DIR)));

        // Kafka: bootstrap points at the kafka service's advertised listener
        String bootstrap = config.get(ConfigKeys.KAFKA_BOOTSTRAP);
        assertThat(services.has(bootstrap.split(":")[0])).as("bootstrap host %s is a service", bootstrap).isTrue();
        assertThat(services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText()).contains("//" + bootstrap);
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText()).contains("controller");

        // Prometheus scrapes exactly the taintwatch parts on http.port, and mounts the rule file it loads
        JsonNode prom = yaml(deploy().resolve("prometheus/prometheus.yml"));
        Set<String> targets = new HashSet<>();
        Set<String> scrapedParts = new HashSet<>();
        for (JsonNode job : prom.path("scrape_configs")) {
            if (job.path("job_name").asText().equals("taintwatch")) {
                for (JsonNode sc : job.path("static_configs")) {
                    targets.addAll(strings(sc.path("targets")));
                    scrapedParts.add(sc.path("labels").path("part").asText());
                }
            }
        }
        Set<String> expected = new HashSet<>();
        parts.keySet().forEach(s -> expected.add(s + ":" + metrics));
        assertThat(targets).isEqualTo(expected);
        assertThat(scrapedParts).containsExactlyInAnyOrderElementsOf(parts.values());
        List<String> promVolumes = strings(services.path("prometheus").path("volumes"));
        for (JsonNode rf : prom.path("rule_files")) {
            assertThat(promVolumes).anyMatch(v -> v.startsWith("./prometheus/alerts.yml:" + rf.asText()));
        }
        assertThat(promVolumes).anyMatch(v -> v.startsWith("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml"));

        // Grafana: the provisioned datasource is the prometheus service; dashboards are mounted where provisioning looks
        JsonNode ds = yaml(deploy().resolve("grafana/provisioning/datasources/prometheus.yml")).path("datasources").get(0);
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(strings(services.path("prometheus").path("ports"))).anyMatch(p -> p.endsWith(":9090"));
        String dashPath = yaml(deploy().resolve("grafana/provisioning/dashboards/taintwatch.yml")).path("providers").get(0)
            .path("options").path("path").asText();
        assertThat(strings(services.path("grafana").path("volumes"))).contains("./grafana/dashboards:" + dashPath + ":ro");
        for (Path d : DeployFiles.dashboardFiles()) {
            JsonNode dsVar = DeployFiles.json(d).path("templating").path("list").get(0);
            assertThat(dsVar.path("current").path("value").asText()).as("%s default datasource", d).isEqualTo(ds.path("uid").asText());
        }

        // every bind-mounted host file exists
        services.fields().forEachRemaining(s -> {
            for (String v : strings(s.getValue().path("volumes"))) {
                if (v.startsWith("./")) {
                    assertThat(deploy().resolve(v.substring(2, v.indexOf(':')))).as("service %s mount %s", s.getKey(), v).exists();
                }
            }
        });
        assertThat(deploy().resolve(services.path("ingest").path("build").path("dockerfile").asText("x").replace("deploy/", ""))).exists();
    }

    // ---------------------------------------------------------------- Kubernetes wiring

    private static List<JsonNode> k8sDocs() {
        List<JsonNode> docs = new ArrayList<>();
        for (Path f : DeployFiles.files(deploy().resolve("k8s"), ".yaml")) {
            for (JsonNode d : yamlDocs(f)) {
                assertThat(d.path("apiVersion").asText()).as("%s: apiVersion", f).isNotBlank();
                assertThat(d.path("kind").asText()).as("%s: kind", f).isNotBlank();
                assertThat(d.path("metadata").path("name").asText()).as("%s: metadata.name", f).isNotBlank();
                docs.add(d);
            }
        }
        return docs;
    }

    private static JsonNode podSpec(JsonNode d) {
        return d.path("spec").path("template").path("spec");
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) selector::fields) {
            if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void kubernetesWorkloadsServicesProbesAndVolumesAgree() {
        List<JsonNode> docs = k8sDocs();
        Map<String, JsonNode> byKindName = new LinkedHashMap<>();
        docs.forEach(d -> byKindName.put(d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(), d));
        JsonNode cm = byKindName.get("ConfigMap/taintwatch-config");
        assertThat(cm).as("ConfigMap taintwatch-config").isNotNull();
        Map<String, String> config = DeployFiles.flatten(DeployFiles.yamlText(cm.path("data").path("taintwatch.yaml").asText(), "ConfigMap"));
        int http = port(config, ConfigKeys.HTTP_PORT);
        int metrics = port(config, ConfigKeys.METRICS_PORT);
        assertThat(config.get(ConfigKeys.HTTP_BIND)).isEqualTo("0.0.0.0");
        assertThat(byKindName.get("Secret/taintwatch-secrets").path("stringData").fieldNames()).toIterable()
            .contains("TAINTWATCH_CHAIN_ETHEREUM_RPC_URLS", "TAINTWATCH_ALERTS_API_TOKENS",
                "TAINTWATCH_ALERTS_WEBHOOK_OPS_URL", "TAINTWATCH_ALERTS_WEBHOOK_OPS_SECRET");

        Map<String, String> partKinds = new LinkedHashMap<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                continue;
            }
            String name = kind + " " + d.path("metadata").path("name").asText();
            Set<String> declaredPorts = new HashSet<>();
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            assertThat(selects(d.path("spec").path("selector").path("matchLabels"), labels)).as("%s selector matches its pods", name).isTrue();
            JsonNode ann = d.path("spec").path("template").path("metadata").path("annotations");
            assertThat(ann.path("prometheus.io/port").asText()).as("%s scrape port", name).isEqualTo(Integer.toString(metrics));
            JsonNode spec = podSpec(d);
            Set<String> volumes = new HashSet<>();
            spec.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
            d.path("spec").path("volumeClaimTemplates").forEach(v -> volumes.add(v.path("metadata").path("name").asText()));
            spec.path("volumes").forEach(v -> {
                if (v.has("configMap")) {
                    assertThat(byKindName).as("%s volume %s", name, v).containsKey("ConfigMap/" + v.path("configMap").path("name").asText());
                }
            });
            assertThat(spec.path("securityContext").path("runAsNonRoot").asBoolean()).as("%s non-root", name).isTrue();
            for (JsonNode c : spec.path("containers")) {
                Map<String, Integer> ports = new LinkedHashMap<>();
                c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
                assertThat(ports).as("%s container port metrics = metrics.port", name).containsEntry("metrics", metrics);
                if (ports.containsKey("http")) {
                    assertThat(ports).as("%s container port http = http.port", name).containsEntry("http", http);
                }
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    JsonNode g = c.path(probe).path("httpGet");
                    assertThat(g.path("port").asText()).as("%s %s on the metrics server", name, probe).isEqualTo("metrics");
                    assertThat(g.path("path").asText()).as("%s %s path", name, probe)
                        .isEqualTo(probe.equals("readinessProbe") ? "/ready" : "/health");
                }
                assertThat(c.path("resources").path("requests").has("cpu") && c.path("resources").path("requests").has("memory"))
                    .as("%s resource requests", name).isTrue();
                c.path("envFrom").forEach(e -> assertThat(byKindName).as("%s envFrom", name)
                    .containsKey("Secret/" + e.path("secretRef").path("name").asText()));
                List<String> args = strings(c.path("args"));
                String file = args.get(args.indexOf("--config") + 1);
                Map<String, String> mounts = new LinkedHashMap<>();
                c.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
                mounts.values().forEach(v -> assertThat(volumes).as("%s mount of volume %s", name, v).contains(v));
                Path cfg = Path.of(file);
                assertThat(mounts.get(cfg.getParent().toString())).as("%s config dir mounted", name).isEqualTo("config");
                assertThat(cm.path("data").has(cfg.getFileName().toString())).as("%s config file in the ConfigMap", name).isTrue();
                assertThat(mounts).as("%s state.dir mounted", name).containsKey(config.get(ConfigKeys.STATE_DIR));
                partKinds.put(args.get(args.indexOf("--parts") + 1), kind);
                declaredPorts.addAll(ports.keySet());
                if (kind.equals("StatefulSet")) {
                    assertThat(mounts.get(config.get(ConfigKeys.STATE_DIR))).as("%s state on a PVC", name)
                        .isEqualTo(d.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText());
                }
            }
            // a Service selects these pods and targets a declared port; a StatefulSet's serviceName is a headless Service
            boolean served = false;
            for (JsonNode s : docs) {
                if (s.path("kind").asText().equals("Service") && selects(s.path("spec").path("selector"), labels)) {
                    served = true;
                    s.path("spec").path("ports").forEach(p -> assertThat(p.path("targetPort").asText())
                        .as("Service %s targets a port of %s", s.path("metadata").path("name").asText(), name).isIn(declaredPorts));
                }
            }
            assertThat(served).as("%s has a Service", name).isTrue();
            if (kind.equals("StatefulSet")) {
                JsonNode svc = byKindName.get("Service/" + d.path("spec").path("serviceName").asText());
                assertThat(svc).as("%s serviceName", name).isNotNull();
                assertThat(svc.path("spec").path("clusterIP").asText()).isEqualTo("None");
            }
        }
        assertThat(byKindName.get("StatefulSet/taintwatch-alerts").toString()).as("alert API port").contains("\"containerPort\":" + http);
        assertThat(partKinds).containsEntry("taint", "StatefulSet").containsEntry("ingest", "Deployment").containsEntry("alerts", "StatefulSet");
        // taint and alerts run as several instances of one application each, with a standby copy of the state on another
        for (String part : List.of("taint", "alerts")) {
            int replicas = byKindName.get("StatefulSet/taintwatch-" + part).path("spec").path("replicas").asInt();
            int standbys = Integer.parseInt(config.get(part + ".standby-replicas"));
            assertThat(replicas).as("%s replicas", part).isGreaterThan(1);
            assertThat(standbys).as("%s standby replicas, each on another instance", part).isBetween(1, replicas - 1);
        }
    }

    // ---------------------------------------------------------------- dashboards

    @Test
    void dashboardsHaveUniqueIdsAndEveryPanelAQuery() {
        Set<String> uids = new HashSet<>();
        for (Path f : DeployFiles.dashboardFiles()) {
            assertThat(uids.add(DeployFiles.json(f).path("uid").asText())).as("%s uid unique", f).isTrue();
        }
        assertThat(uids).contains("taintwatch-overview", "taintwatch-rpc", "taintwatch-taint", "taintwatch-alerts", "taintwatch-jvm-kafka");
        for (DeployFiles.Panel p : DeployFiles.panels()) {
            assertThat(p.exprs()).as(p.where()).isNotEmpty().allMatch(e -> !e.isBlank());
        }
        assertThat(DeployFiles.ruleExprs()).extracting(DeployFiles.Query::where).anyMatch(w -> w.endsWith("TaintwatchAlertLatencyP99"));
    }
}
