package io.taintwatch.ingest.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.ingest.Checkpoint;
import io.taintwatch.model.Hash32;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Checkpoint records of the compacted {@code ingest-checkpoints} topic: key = chain name, value = small JSON. */
public final class CheckpointCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CheckpointCodec() {}

    public static byte[] encode(Checkpoint c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("version", 1);
        n.put("chain", c.chain());
        n.put("number", c.number());
        n.put("hash", c.hash().toString());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Checkpoint decode(byte[] value) {
        try {
            JsonNode n = MAPPER.readTree(value);
            if (n.path("version").asInt() != 1) {
                throw new IllegalArgumentException("unknown checkpoint version " + n.path("version"));
            }
            return new Checkpoint(n.get("chain").asText(), n.get("number").asLong(), Hash32.parse(n.get("hash").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable ingest checkpoint: " + e.getMessage(), e);
        }
    }
}
