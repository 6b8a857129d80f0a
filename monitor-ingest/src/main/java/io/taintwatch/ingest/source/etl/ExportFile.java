package io.taintwatch.ingest.source.etl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.input.CsvInput;
import io.taintwatch.input.InputException;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.input.JsonRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads one export file (CSV with a header, or JSON lines; plain, gzip or bzip2 by content) row by row, within
 * {@link InputLimits#EXPORTS}: a file that is malformed or past a limit is an {@link InputException} naming file and line.
 */
final class ExportFile {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(InputLimits.EXPORTS.readConstraints()).build())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private ExportFile() {}

    static boolean isJson(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson");
    }

    static void forEach(Path p, Consumer<ExportRow> sink) throws IOException {
        if (Files.size(p) == 0) {
            return; // ethereum-etl writes an empty file for "no rows"
        }
        try (InputStream in = Inputs.open(p, InputLimits.EXPORTS); Reader r = Inputs.utf8(in)) {
            if (isJson(p)) {
                jsonLines(p, r, sink);
            } else {
                csv(p, r, sink);
            }
        }
    }

    /** One JSON object per line (any whitespace between them is accepted, as in ethereum-etl's output). */
    private static void jsonLines(Path p, Reader r, Consumer<ExportRow> sink) throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(r)) {
            JsonToken t;
            while ((t = parser.nextToken()) != null) {
                long line = parser.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    throw new InputException(p.toString(), line, "not a JSON object: " + t, null);
                }
                sink.accept(new JsonRow(JsonRecords.read(parser, MAPPER, p.toString(), InputLimits.EXPORTS), p + " line " + line));
            }
        } catch (JsonProcessingException e) {
            throw InputException.of(p.toString(), 0, e, InputLimits.EXPORTS, "not a JSON object: ");
        }
    }

    /** A header row, then rows of as many fields; columns are found by name. */
    private static void csv(Path p, Reader r, Consumer<ExportRow> sink) throws IOException {
        try (CsvInput csv = new CsvInput(r, p.toString(), InputLimits.EXPORTS, false)) {
            CsvInput.Row header = csv.next();
            if (header == null) {
                throw new InputException(p.toString(), 1, "empty file (no CSV header)", null);
            }
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.fields().size(); i++) {
                columns.put(header.get(i).strip().toLowerCase(Locale.ROOT), i);
            }
            CsvInput.Row row;
            while ((row = csv.next()) != null) {
                if (row.fields().size() == 1 && row.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (row.fields().size() != header.fields().size()) {
                    throw new InputException(p.toString(), row.line(), row.fields().size() + " fields, header has " + header.fields().size(), null);
                }
                sink.accept(new CsvRow(columns, row.fields(), p + " line " + row.line()));
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

    private record CsvRow(Map<String, Integer> columns, List<String> row, String where) implements ExportRow {
        @Override
        public String get(String column) {
            Integer i = columns.get(column);
            if (i == null) {
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
