package io.taintwatch.app.retro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Seed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One retro-screening: the new seeds the live engine picked up at {@code pickupBlock}, and the range of retained blocks
 * before it to replay with them ({@code fromBlock..toBlock}, {@code toBlock = pickupBlock - 1} so that live and retro
 * never cover the same block). {@code requestedFrom} is where the look-back asked to start; {@code fromBlock} is later
 * when the seed is valid only later or the topic no longer retains the start ({@code note} says so). Stored as JSON on
 * the compacted {@code retro-screenings} topic under {@code screening:<id>}; every state change is a new record.
 */
public record Screening(String id, String chain, long chainId, State state, List<NewSeed> seeds, long pickupBlock, long requestedFrom,
                        long fromBlock, long toBlock, String note, long blocks, long alerts, String error) {
    /** Lifecycle: offered (waits for {@code taintwatch retro run}), running, done, failed. */
    public enum State {
        OFFERED, RUNNING, DONE, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State fromLabel(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Screening {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("screening " + id + " has no seed");
        }
        if (fromBlock < 0 || toBlock < fromBlock || toBlock >= pickupBlock) {
            throw new IllegalArgumentException("screening " + id + ": range " + fromBlock + ".." + toBlock + " must end before the pickup block "
                + pickupBlock);
        }
        note = note == null ? "" : note;
        error = error == null ? "" : error;
    }

    /**
     * {@code <chain>-<pickup block>-<8 hex>}: the hex is a hash of the sorted seed addresses, so the same seeds picked
     * up at the same block always make the same id (and the same alert ids), and the id is short enough to type.
     */
    public static String idFor(String chain, long pickupBlock, List<Address> addresses) {
        List<String> sorted = addresses.stream().map(Address::toString).sorted().toList();
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(String.join(",", sorted).getBytes(StandardCharsets.UTF_8));
            return chain + "-" + pickupBlock + "-" + Hex.encode(Arrays.copyOf(h, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    public List<Address> addresses() {
        return seeds.stream().map(s -> s.seed().address()).toList();
    }

    public Screening withState(State s, long blocks, long alerts, String error) {
        return new Screening(id, chain, chainId, s, seeds, pickupBlock, requestedFrom, fromBlock, toBlock, note, blocks, alerts, error);
    }

    public byte[] toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", id);
        n.put("chain", chain);
        n.put("chainId", chainId);
        n.put("state", state.label());
        ArrayNode arr = n.putArray("seeds");
        for (NewSeed s : seeds) {
            ObjectNode o = arr.addObject();
            try {
                o.set("seed", MAPPER.readTree(Json.seedBytes(s.seed())));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write seed " + s.seed().address(), e);
            }
            o.put("pickupBlock", s.pickupBlock());
            o.put("designatedAt", s.designatedAt().toString());
            o.put("designationBasis", s.designationBasis());
        }
        n.put("pickupBlock", pickupBlock);
        n.put("requestedFrom", requestedFrom);
        n.put("fromBlock", fromBlock);
        n.put("toBlock", toBlock);
        n.put("note", note);
        n.put("blocks", blocks);
        n.put("alerts", alerts);
        n.put("error", error);
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write screening " + id, e);
        }
    }

    /** Reads a record of the {@code retro-screenings} topic; a bad record is an error naming the field. */
    public static Screening parse(byte[] json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            List<NewSeed> seeds = new ArrayList<>();
            for (JsonNode o : req(n, "seeds")) {
                Seed seed = Json.parseSeed(MAPPER.writeValueAsBytes(req(o, "seed")));
                seeds.add(new NewSeed(seed, req(o, "pickupBlock").asLong(), LocalDate.parse(req(o, "designatedAt").asText()),
                    req(o, "designationBasis").asText()));
            }
            return new Screening(req(n, "id").asText(), req(n, "chain").asText(), req(n, "chainId").asLong(),
                State.fromLabel(req(n, "state").asText()), seeds, req(n, "pickupBlock").asLong(), req(n, "requestedFrom").asLong(),
                req(n, "fromBlock").asLong(), req(n, "toBlock").asLong(), n.path("note").asText(""), n.path("blocks").asLong(0),
                n.path("alerts").asLong(0), n.path("error").asText(""));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("invalid retro-screening record: " + e.getMessage(), e);
        }
    }

    private static JsonNode req(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }
}
