package io.taintwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.input.CsvInput;
import io.taintwatch.input.InputLimits;
import io.taintwatch.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads the real RPC fixtures and expected outputs from ../shared/data (never copied into the repo). */
public final class Fixtures {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String ETL = "rpc_fixtures/ethereum-etl_tests_resources/";
    public static final String ERIGON = "rpc_fixtures/erigon_rpc-tests_mainnet/";

    private Fixtures() {}

    public static Path path(String rel) {
        return SharedData.path(rel);
    }

    public static InputStream open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        return p.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    public static JsonNode json(String rel) {
        try (InputStream in = open(path(rel))) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of a JSON-lines file. */
    public static List<JsonNode> jsonLines(String rel) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(path(rel), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A CSV file as maps from column name to value. */
    public static List<Map<String, String>> csv(String rel) {
        Path p = path(rel);
        List<Map<String, String>> out = new ArrayList<>();
        if (p.toFile().length() == 0) {
            return out; // ethereum-etl writes an empty file for "no rows"
        }
        try (CsvInput r = new CsvInput(new InputStreamReader(open(p), StandardCharsets.UTF_8), p.toString(), InputLimits.EXPORTS, false)) {
            List<String> header = r.next().fields();
            CsvInput.Row row;
            while ((row = r.next()) != null) {
                Map<String, String> m = new HashMap<>();
                for (int i = 0; i < row.fields().size(); i++) {
                    m.put(header.get(i), row.get(i));
                }
                out.add(m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException e) {
            throw e;
        }
        return out;
    }
}
