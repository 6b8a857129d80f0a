package io.taintwatch.taint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.SharedData;
import io.taintwatch.tokens.Token;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Bybit exploiter's real outbound transfers of 2025-02-21 (../shared/data/ground_truth/bybit_2025/, the 51-row
 * subset: 46 ETH rows and its real stETH, mETH and cmETH transfers) replayed with the exploiter as seed, without and
 * with the token registry: the registry must not stop a single real transfer (no counterfeit verdict, no unbacked leg).
 */
class BybitReplayTest {
    static final Address EXPLOITER = Address.parse("0x47666fab8bd0ac7003bce3f5c3585383f09486e2");

    /** One block per block number; one transaction per hash (in file order), one leg per row. Amounts in 18 decimals. */
    static List<Block> blocks() throws IOException {
        List<Map<String, String>> rows;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader())
            .readValues(SharedData.path("ground_truth/bybit_2025/bybit_exploiter_hop1_transfers_subset.csv").toFile())) {
            rows = it.readAll();
        }
        TreeMap<Long, List<Map<String, String>>> byBlock = new TreeMap<>();
        rows.forEach(r -> byBlock.computeIfAbsent(Long.parseLong(r.get("block")), b -> new ArrayList<>()).add(r));
        List<Block> blocks = new ArrayList<>();
        for (Map.Entry<Long, List<Map<String, String>>> e : byBlock.entrySet()) {
            long n = e.getKey();
            LinkedHashMap<String, Integer> txs = new LinkedHashMap<>();
            List<Leg> legs = new ArrayList<>();
            for (Map<String, String> r : e.getValue()) {
                int tx = txs.computeIfAbsent(r.get("hash"), h -> txs.size());
                boolean token = r.get("kind").equals("token");
                Asset asset = token ? Asset.token(Address.parse(r.get("contract"))) : Asset.NATIVE;
                legs.add(new Leg(new Position(n, tx, legs.size()), token ? LegKind.ERC20 : LegKind.NATIVE, Hash32.of(hex32(r.get("hash"))),
                    Address.parse(r.get("from")), Address.parse(r.get("to")), asset,
                    new BigDecimal(r.get("amount")).movePointRight(18).toBigIntegerExact()));
            }
            legs.sort((a, b) -> a.position().compareTo(b.position()));
            blocks.add(new Block(ChainId.ETHEREUM, n, Hash32.of(hex32(Long.toHexString(n))), Hash32.of(hex32(Long.toHexString(n - 1))),
                1_740_000_000L + n, legs, null));
        }
        return blocks;
    }

    static byte[] hex32(String h) {
        String s = h.startsWith("0x") ? h.substring(2) : h;
        byte[] b = new byte[32];
        byte[] v = new java.math.BigInteger(s, 16).toByteArray();
        int len = Math.min(v.length, 32);
        System.arraycopy(v, v.length - len, b, 32 - len, len);
        return b;
    }

    static List<TaintFlow> replay(TaintEngine e) throws IOException {
        e.putSeed(new Seed(EXPLOITER, "bybit-2025", Category.THEFT, 0, "FBI PSA I-022625"));
        List<TaintFlow> flows = new ArrayList<>();
        for (Block b : blocks()) {
            flows.addAll(e.process(b).flows());
        }
        return flows;
    }

    @Test
    void theRegistryStopsNoneOfTheExploitersRealTransfers() throws IOException {
        List<TaintFlow> without = replay(new TaintEngine(ChainId.ETHEREUM, TaintConfig.defaults()));
        TaintEngine e = new TaintEngine(ChainId.ETHEREUM, TaintConfig.defaults());
        for (String[] t : new String[][] {{"0xae7ab96520de3a18e5e111b5eaab095312d7fe84", "stETH", "Liquid staked Ether 2.0"},
            {"0xd5f7838f5c461feff7fe49ea5ebaf7728bb0adfa", "mETH", "Mantle Staked Ether"}}) {
            e.tokens().declare(new Token(ChainId.ETHEREUM, Address.parse(t[0]), t[1], t[2], 18, TokenStatus.VERIFIED, "", "metamask:contract-map"));
        }
        e.tokens().observe(Token.observed(ChainId.ETHEREUM, Address.parse("0xe6829d9a7ee3040e1276fa75293bde931859e8fa"), "cmETH", "cmETH", 18,
            "bybit subset"));
        List<TaintFlow> with = replay(e);

        // every row with an amount is a flow (the 5 zero-value contract calls carry nothing)
        assertThat(with).extracting(TaintFlow::kind).doesNotContain(FlowKind.SKIPPED);
        assertThat(with).hasSameSizeAs(without).hasSize(46);
        assertThat(with).extracting(TaintFlow::to).containsExactlyElementsOf(without.stream().map(TaintFlow::to).toList());
        assertThat(with.stream().filter(f -> !f.asset().isNative()).map(TaintFlow::assetStatus).distinct())
            .containsExactlyInAnyOrder(TokenStatus.VERIFIED, TokenStatus.UNVERIFIED);
        // 40 fan-out addresses of 10,000 ETH, the recipient of the stETH, mETH and first ETH rows, the cmETH recipient
        assertThat(e.trackedCount()).isEqualTo(42);
    }
}
