package io.taintwatch.app.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.taintwatch.alerts.AlertJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The alert JSON Schema that monitor-alerts ships, as a validator for the replay's alerts.jsonl. */
public final class AlertSchema {
    private static final Schema SCHEMA = load();

    private AlertSchema() {}

    private static Schema load() {
        try (InputStream in = AlertJson.class.getResourceAsStream(AlertJson.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + AlertJson.SCHEMA_RESOURCE);
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> errors(String json) {
        try {
            return SCHEMA.validate(new ObjectMapper().readTree(json)).stream().map(Error::toString).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
