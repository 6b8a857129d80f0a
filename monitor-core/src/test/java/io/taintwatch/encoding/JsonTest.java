package io.taintwatch.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class JsonTest {
    private static final Address TORNADO = Address.parse("0x8589427373D6D84E98730D7795D8f6f8731FDA16");

    @Test
    void tronRecordsSeedsAndLabelsWriteTronAddressesAndReadBackWithTheirKind() {
        io.taintwatch.model.ChainId tron = new io.taintwatch.model.ChainId(728126428, "tron", io.taintwatch.model.ChainKind.TRON);
        Address usdt = Address.parse("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
        Address from = Address.parse("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM");
        io.taintwatch.model.Block b = new io.taintwatch.model.Block(tron, 7, io.taintwatch.model.Hash32.parse("0x" + "11".repeat(32)),
            io.taintwatch.model.Hash32.parse("0x" + "22".repeat(32)), 1, List.of(new io.taintwatch.model.Leg(new io.taintwatch.model.Position(7, 0, 0),
            LegKind.ERC20, io.taintwatch.model.Hash32.parse("0x" + "33".repeat(32)), from, Address.ZERO, Asset.token(usdt), BigInteger.TEN)), null);

        String json = Json.block(BlockCodec.decode(BlockCodec.encode(b)));
        assertThat(json).contains("\"from\":\"TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM\"", "\"to\":\"T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb\"",
            "\"asset\":\"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\"").doesNotContain("0xa614f803");

        Seed seed = new Seed(from, "ofac:45404", Category.SANCTIONS, 0, "r", io.taintwatch.model.ChainKind.TRON);
        assertThat(seed.key()).isEqualTo("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM");
        assertThat(Json.seed(seed)).contains("\"address\":\"TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM\"");
        assertThat(Json.parseSeed(Json.seed(seed))).isEqualTo(seed);
        Entity label = new Entity(usdt, "Tether USD", Category.CONTRACT, "s", 100, io.taintwatch.model.ChainKind.TRON);
        assertThat(Json.parseEntity(Json.entity(label))).isEqualTo(label);
        // the same bytes written as hex are an EVM seed: another record
        assertThat(Json.parseSeed(Json.seed(seed).replace("TAYhjpL8pPs8T84FSM329nffQpc6jD8GBM", from.toString())).kind())
            .isEqualTo(io.taintwatch.model.ChainKind.EVM);
    }

    @Test
    void flowJsonMatchesTheGoldenFileKeyForKeyInOrder() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("flow-golden.json")) {
            golden = Json.mapper().readTree(in);
        }
        // the tree keeps the file's key order, so re-serialising it gives the expected compact bytes
        String expected = Json.mapper().writeValueAsString(golden);

        assertThat(Json.flow(FlowCodecTest.sampleFlow())).isEqualTo(expected);
    }

    @Test
    void flowJsonCarriesEveryDocumentedKey() throws Exception {
        JsonNode n = Json.mapper().readTree(Json.flowBytes(FlowCodecTest.sampleFlow()));

        assertThat(n.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("id", "chain", "tx_hash", "block", "tx_index",
            "sub_index", "block_time", "leg_kind", "from", "to", "asset", "amount", "tainted", "tainted_total", "hop", "effective_from",
            "policy", "kind", "recipient_entity", "sender_basis", "asset_status", "asset_reason", "skip_reason", "paths");
        assertThat(n.get("paths").get(0).properties()).extracting(java.util.Map.Entry::getKey)
            .containsExactly("source_id", "source", "complete", "hops");
        assertThat(n.get("paths").get(0).get("hops").get(0).properties()).extracting(java.util.Map.Entry::getKey)
            .containsExactly("block", "tx_index", "sub_index", "tx_hash", "time", "from", "to", "asset", "amount", "tainted");
    }

    @Test
    void flowWithoutEntityAndBasisWritesNullsAndNftAssetsAsContractSlashId() throws Exception {
        TaintFlow f = FlowCodecTest.sampleFlow();
        TaintFlow nft = new TaintFlow(f.chain(), f.position(), 5, LegKind.ERC721, f.txHash(), f.from(), f.to(),
            Asset.nft(FlowCodecTest.USDT, new BigInteger("115792089237316195423570985008687907853269984665640564039457584007913129639935")),
            BigInteger.ONE, f.shares(), PolicyKind.POISON, FlowKind.TRACKED, null, null, null);

        JsonNode n = Json.mapper().readTree(Json.flow(nft));

        assertThat(n.get("recipient_entity").isNull()).isTrue();
        assertThat(n.get("sender_basis").isNull()).isTrue();
        assertThat(n.get("paths").isEmpty()).isTrue();
        assertThat(n.get("asset").textValue()).isEqualTo("0xdac17f958d2ee523a2206206994597c13d831ec7/"
            + "115792089237316195423570985008687907853269984665640564039457584007913129639935");
        assertThat(Asset.parse(n.get("asset").textValue())).isEqualTo(nft.asset());
        assertThat(n.get("policy").textValue()).isEqualTo("poison");
        assertThat(n.get("kind").textValue()).isEqualTo("tracked");
    }

    @Property(tries = 200)
    void sameFlowGivesByteIdenticalJsonAlsoAfterABinaryRoundTrip(@ForAll long seed) {
        TaintFlow f = new RandomModel(seed).flow();
        byte[] json = Json.flowBytes(f);

        assertThat(Json.flowBytes(f)).isEqualTo(json);
        assertThat(Json.flowBytes(FlowCodec.decode(FlowCodec.encode(f)))).isEqualTo(json);
    }

    @Test
    void blockJsonListsLegsAndBalances() throws Exception {
        JsonNode n = Json.mapper().readTree(Json.block(BlockCodecTest.sampleBlock()));

        assertThat(n.get("number").longValue()).isEqualTo(19_000_000);
        assertThat(n.get("legs")).hasSize(4);
        assertThat(n.get("legs").get(2).get("asset").textValue()).isEqualTo("0xdac17f958d2ee523a2206206994597c13d831ec7");
        assertThat(n.get("legs").get(2).get("kind").textValue()).isEqualTo("erc20");
        assertThat(n.get("legs").get(0).get("amount").textValue()).isEqualTo("1000000000000000000");
        assertThat(n.get("balances").isArray()).isTrue();
    }

    @Test
    void seedJsonHasTheDocumentedShapeAndParsesBack() {
        Seed s = new Seed(TORNADO, "ofac-tornado", Category.SANCTIONS, 15_000_000, "OFAC SDN 38001 CYBER2 2022-08-08");

        String json = Json.seed(s);

        assertThat(json).isEqualTo("{\"address\":\"0x8589427373d6d84e98730d7795d8f6f8731fda16\",\"source_id\":\"ofac-tornado\","
            + "\"category\":\"sanctions\",\"valid_from\":15000000,\"reference\":\"OFAC SDN 38001 CYBER2 2022-08-08\"}");
        assertThat(Json.parseSeed(json)).isEqualTo(s);
    }

    @Test
    void entityJsonHasTheDocumentedShapeAndParsesBack() {
        Entity e = new Entity(TORNADO, "Tornado Cash: Router", Category.MIXER, "etherscan", 95);

        String json = Json.entity(e);

        assertThat(json).isEqualTo("{\"address\":\"0x8589427373d6d84e98730d7795d8f6f8731fda16\",\"name\":\"Tornado Cash: Router\","
            + "\"category\":\"mixer\",\"source\":\"etherscan\",\"confidence\":95}");
        assertThat(Json.parseEntity(json)).isEqualTo(e);
    }

    @Property(tries = 100)
    void randomEntitiesAndSeedsRoundTrip(@ForAll long seed) {
        RandomModel m = new RandomModel(seed);
        Entity e = m.entity();
        Seed s = new Seed(m.address(), "src-" + seed, Category.values()[(int) Math.floorMod(seed, Category.values().length)],
            m.uint64(), m.text());

        assertThat(Json.parseEntity(Json.entityBytes(e))).isEqualTo(e);
        assertThat(Json.parseSeed(Json.seedBytes(s))).isEqualTo(s);
    }

    @Test
    void optionalSeedAndEntityFieldsDefault() {
        assertThat(Json.parseSeed("{\"address\":\"0x8589427373d6d84e98730d7795d8f6f8731fda16\",\"source_id\":\"x\",\"category\":\"theft\"}"))
            .isEqualTo(new Seed(TORNADO, "x", Category.THEFT, 0, ""));
        assertThat(Json.parseEntity("{\"address\":\"0x8589427373d6d84e98730d7795d8f6f8731fda16\",\"category\":\"exchange\",\"confidence\":50}"))
            .isEqualTo(new Entity(TORNADO, "", Category.EXCHANGE, "", 50));
    }

    @Test
    void badSeedsAreRejectedWithTheReason() {
        List<String[]> cases = new ArrayList<>();
        String addr = "\"address\":\"0x8589427373d6d84e98730d7795d8f6f8731fda16\"";
        cases.add(new String[] {"{" + addr + ",\"source_id\":\"x\",\"category\":\"hack\"}",
            "seed 0x8589427373d6d84e98730d7795d8f6f8731fda16: unknown category 'hack'"});
        cases.add(new String[] {"{\"address\":\"0x8589427373D6D84E98730D7795D8f6f8731FDA17\",\"source_id\":\"x\",\"category\":\"theft\"}",
            "seed: invalid address '0x8589427373D6D84E98730D7795D8f6f8731FDA17': EIP-55 checksum mismatch (expected "
                + "0x8589427373D6D84e98730d7795D8f6f8731FDA17)"});
        cases.add(new String[] {"{\"address\":\"0x1234\",\"source_id\":\"x\",\"category\":\"theft\"}",
            "seed: invalid address '0x1234': expected 40 hex digits, got 4"});
        cases.add(new String[] {"{\"source_id\":\"x\",\"category\":\"theft\"}", "seed: address is missing or not a string"});
        cases.add(new String[] {"{" + addr + ",\"category\":\"theft\"}", "seed 0x8589427373d6d84e98730d7795d8f6f8731fda16: source_id is missing"});
        cases.add(new String[] {"{" + addr + ",\"source_id\":\"x\",\"category\":\"theft\",\"valid_form\":5}",
            "seed has unknown field 'valid_form' (known: [address, category, reference, source_id, valid_from])"});
        cases.add(new String[] {"{" + addr + ",\"source_id\":\"x\",\"category\":\"theft\",\"valid_from\":\"5\"}",
            "seed 0x8589427373d6d84e98730d7795d8f6f8731fda16: valid_from must be a non-negative block number, got \"5\""});
        cases.add(new String[] {"{" + addr + ",\"source_id\":\"x\",\"category\":\"theft\",\"valid_from\":-1}",
            "seed 0x8589427373d6d84e98730d7795d8f6f8731fda16: valid_from must be a non-negative block number, got -1"});
        cases.add(new String[] {"[1]", "seed must be a JSON object, got ARRAY"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> Json.parseSeed(c[0])).as(c[0]).isInstanceOf(IllegalArgumentException.class).hasMessage(c[1]);
        }
        assertThatThrownBy(() -> Json.parseSeed("{\"address\":")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("seed is not valid JSON: ");
    }

    @Test
    void badEntitiesAreRejectedWithTheReason() {
        String addr = "\"address\":\"0x8589427373d6d84e98730d7795d8f6f8731fda16\"";
        assertThatThrownBy(() -> Json.parseEntity("{" + addr + ",\"category\":\"casino\",\"confidence\":5}"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("entity 0x8589427373d6d84e98730d7795d8f6f8731fda16: unknown category 'casino'");
        assertThatThrownBy(() -> Json.parseEntity("{" + addr + ",\"category\":\"mixer\"}"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("entity 0x8589427373d6d84e98730d7795d8f6f8731fda16: confidence is missing");
        assertThatThrownBy(() -> Json.parseEntity("{" + addr + ",\"category\":\"mixer\",\"confidence\":101}"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("entity 0x8589427373d6d84e98730d7795d8f6f8731fda16: confidence must be an integer 0..100, got 101");
        assertThatThrownBy(() -> Json.parseEntity("{" + addr + ",\"category\":\"mixer\",\"confidence\":5,\"name\":7}"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("entity 0x8589427373d6d84e98730d7795d8f6f8731fda16: name must be a string, got NUMBER");
    }
}
