package io.taintwatch.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A lossless JSON form of {@link Block} for the integration tests, which must decode what they publish; production
 * wires the protobuf {@code BlockCodec} through the same {@code BlockEncoder} interface.
 */
public final class TestBlockJson {
    private static final ObjectMapper M = new ObjectMapper();

    private TestBlockJson() {}

    public static byte[] encode(Block b) {
        ObjectNode n = M.createObjectNode();
        n.put("chainId", b.chain().id()).put("chain", b.chain().name()).put("number", b.number()).put("hash", b.hash().toString())
            .put("parent", b.parentHash().toString()).put("timestamp", b.timestamp());
        ArrayNode legs = n.putArray("legs");
        for (Leg l : b.legs()) {
            legs.addObject().put("tx", l.position().txIndex()).put("sub", l.position().subIndex()).put("kind", l.kind().label())
                .put("hash", l.txHash().toString()).put("from", l.from().toString()).put("to", l.to().toString())
                .put("asset", l.asset().toString()).put("amount", l.amount().toString());
        }
        if (b.balances() != null) {
            ArrayNode bal = n.putArray("balances");
            for (Balance x : b.balances()) {
                bal.addObject().put("address", x.address().toString()).put("asset", x.asset().toString()).put("amount", x.amount().toString());
            }
        }
        return n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static Block decode(byte[] bytes) {
        try {
            JsonNode n = M.readTree(bytes);
            long number = n.get("number").asLong();
            List<Leg> legs = new ArrayList<>();
            for (JsonNode l : n.get("legs")) {
                legs.add(new Leg(new Position(number, l.get("tx").asInt(), l.get("sub").asInt()), LegKind.fromLabel(l.get("kind").asText()),
                    Hash32.parse(l.get("hash").asText()), Address.parse(l.get("from").asText()), Address.parse(l.get("to").asText()),
                    Asset.parse(l.get("asset").asText()), new BigInteger(l.get("amount").asText())));
            }
            List<Balance> balances = null;
            if (n.has("balances")) {
                balances = new ArrayList<>();
                for (JsonNode x : n.get("balances")) {
                    balances.add(new Balance(Address.parse(x.get("address").asText()), Asset.parse(x.get("asset").asText()), new BigInteger(x.get("amount").asText())));
                }
            }
            return new Block(new ChainId(n.get("chainId").asLong(), n.get("chain").asText()), number, Hash32.parse(n.get("hash").asText()),
                Hash32.parse(n.get("parent").asText()), n.get("timestamp").asLong(), legs, balances);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
