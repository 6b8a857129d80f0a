package io.taintwatch.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.taintwatch.model.Alert;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Validates alerts against the JSON Schema shipped in the module's resources. */
public final class AlertSchema {
    private static final Schema SCHEMA = load();

    private AlertSchema() {}

    private static Schema load() {
        try (InputStream in = AlertSchema.class.getResourceAsStream(AlertJson.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + AlertJson.SCHEMA_RESOURCE);
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The errors of {@code json} against another schema of the module's resources (the exposure API's). */
    public static List<String> errorsAgainst(String schemaResource, String json) {
        try (InputStream in = AlertSchema.class.getResourceAsStream(schemaResource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + schemaResource);
            }
            ObjectMapper m = new ObjectMapper();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(m.readTree(in)).validate(m.readTree(json))
                .stream().map(Error::toString).toList();
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

    /**
     * Asserts one alert JSON as published (e.g. read from the alerts topic) validates, and reads back to JSON that is
     * the same byte for byte (so optional fields such as the retro-screening ones survive a round trip).
     */
    public static Alert assertValidJson(String json) {
        assertThat(errors(json)).as("schema errors of %s", json).isEmpty();
        Alert a = AlertJson.parse(json);
        assertThat(AlertJson.toJson(a)).isEqualTo(json);
        return a;
    }

    /** Asserts the alert's JSON validates and reads back to an equal alert. */
    public static void assertValid(Alert a) {
        String json = AlertJson.toJson(a);
        assertThat(errors(json)).as("schema errors of %s", json).isEmpty();
        assertThat(AlertJson.parse(json)).isEqualTo(a);
    }
}
