package io.taintwatch.ingest.source.etl;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Reads one export file (CSV with a header, or JSON lines; optionally gzipped) row by row. */
final class ExportFile {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private ExportFile() {}

    static boolean isJson(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson");
    }

    static void forEach(Path p, Consumer<ExportRow> sink) throws IOException {
        InputStream raw = Files.newInputStream(p);
        InputStream in = p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            if (isJson(p)) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = MAPPER.readTree(line);
                    } catch (IOException e) {
                        throw new IOException(p + " line " + n + ": not a JSON object: " + e.getMessage(), e);
                    }
                    sink.accept(new JsonRow(node, p + " line " + n));
                }
            } else {
                if (Files.size(p) == 0) {
                    return;
                }
                CsvReader csv = new CsvReader(r, p.toString());
                List<String> row;
                while ((row = csv.next()) != null) {
                    sink.accept(new CsvRow(csv, row, p + " line " + csv.line()));
                }
            }
        }
    }

    private record JsonRow(JsonNode node, String where) implements ExportRow {
        @Override
        public String get(String column) {
            JsonNode v = node.get(column);
            if (v == null || v.isNull()) {
                return null;
            }
            String s = v.isBigDecimal() ? v.decimalValue().toPlainString() : v.asText();
            return s.isEmpty() ? null : s;
        }

        @Override
        public List<String> list(String column) {
            JsonNode v = node.get(column);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (v.isArray()) {
                List<String> out = new ArrayList<>();
                v.forEach(x -> out.add(x.asText()));
                return out;
            }
            return split(v.asText());
        }
    }

    private record CsvRow(CsvReader csv, List<String> row, String where) implements ExportRow {
        @Override
        public String get(String column) {
            int i = csv.column(column);
            if (i < 0) {
                return null;
            }
            String s = row.get(i);
            return s.isEmpty() ? null : s;
        }

        @Override
        public List<String> list(String column) {
            return split(get(column));
        }
    }

    static List<String> split(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        String t = s.strip();
        if (t.startsWith("[")) {
            // BigQuery writes REPEATED columns as a JSON-like list in CSV exports
            t = t.substring(1, t.length() - 1).replace("\"", "").replace("'", "");
        }
        return Arrays.stream(t.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
