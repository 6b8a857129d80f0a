package io.taintwatch.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the files under deploy/ for the checks: YAML documents, dashboards and their PromQL, alerting rules. */
public final class DeployFiles {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {}

    /** The repository root: the first parent of the working directory that has deploy/docker-compose.yml. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/docker-compose.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException("deploy/docker-compose.yml not found above " + Path.of("").toAbsolutePath());
    }

    public static Path deploy() {
        return root().resolve("deploy");
    }

    /** All YAML documents of a file; a parse error names the file. */
    public static List<JsonNode> yamlDocs(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
            return docs;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(file + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    public static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocs(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    public static JsonNode yamlText(String text, String where) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(where + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    public static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flattens nested YAML into dotted keys the way Settings does (arrays joined with commas). */
    public static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            out.put(prefix, String.join(",", parts));
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    /** One PromQL expression to check, with where it comes from. */
    public record Query(String where, String expr) {}

    /** One dashboard panel: its dashboard, title and target expressions (Grafana variables still in place). */
    public record Panel(String dashboard, String title, List<String> exprs) {
        public String where() {
            return dashboard + " / " + title;
        }
    }

    public static List<Path> dashboardFiles() {
        return files(deploy().resolve("grafana/dashboards"), ".json");
    }

    public static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    public static List<Panel> panels() {
        List<Panel> out = new ArrayList<>();
        for (Path f : dashboardFiles()) {
            JsonNode d = json(f);
            for (JsonNode p : d.path("panels")) {
                List<String> exprs = new ArrayList<>();
                for (JsonNode t : p.path("targets")) {
                    exprs.add(t.path("expr").asText());
                }
                out.add(new Panel(d.path("title").asText(f.getFileName().toString()), p.path("title").asText(), exprs));
            }
        }
        return out;
    }

    /** The templating variable queries ({@code label_values(metric, label)}), per dashboard. */
    public static List<Query> variableQueries() {
        List<Query> out = new ArrayList<>();
        for (Path f : dashboardFiles()) {
            JsonNode d = json(f);
            for (JsonNode v : d.path("templating").path("list")) {
                if (v.path("type").asText().equals("query")) {
                    out.add(new Query(d.path("title").asText() + " / variable " + v.path("name").asText(),
                        v.path("query").path("query").asText(v.path("query").asText())));
                }
            }
        }
        return out;
    }

    public static List<Query> ruleExprs() {
        List<Query> out = new ArrayList<>();
        for (JsonNode g : yaml(deploy().resolve("prometheus/alerts.yml")).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                String name = r.has("alert") ? r.path("alert").asText() : r.path("record").asText();
                out.add(new Query("rule " + g.path("name").asText() + "/" + name, r.path("expr").asText()));
            }
        }
        return out;
    }

    /** Replaces the Grafana variables the dashboards use by values Prometheus accepts. */
    public static String substitute(String expr, String rateInterval, String range) {
        return expr.replace("$__rate_interval", rateInterval).replace("$__range", range).replace("$chain", ".*");
    }
}
