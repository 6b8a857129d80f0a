package io.taintwatch.labels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.model.Address;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Entity;
import io.taintwatch.testing.SharedData;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultLabelsTest {
    @Test
    void packLoadsStrictlyAndEveryRowNamesItsSource() {
        List<Entity> pack = DefaultLabels.load();

        assertThat(pack).hasSize(62 + 27);
        assertThat(pack).filteredOn(e -> e.category() == Category.MIXER).hasSize(32)
            .allSatisfy(e -> assertThat(e.source()).startsWith("OFAC sdn_advanced.xml 2025-03-04 entry 39796 TORNADO CASH feature "));
        assertThat(pack).filteredOn(e -> e.category() == Category.BRIDGE).hasSize(30)
            .allSatisfy(e -> assertThat(e.source()).startsWith("Etherscan label (slug bridge) via brianleect/etherscan-labels@923aba7"));
        assertThat(pack).filteredOn(e -> e.kind() == ChainKind.TRON).hasSize(27)
            .allSatisfy(e -> {
                assertThat(e.category()).isIn(Category.EXCHANGE, Category.EXCHANGE_HOT_WALLET);
                assertThat(e.key()).startsWith("T");
                assertThat(e.source()).matches("GraphSense TagPack packs/exchange-wallets-[a-z]+\\.yaml via graphsense/graphsense-tagpacks@29ff93c"
                    + " \\(MIT\\) citing https://\\S+ \\(lastmod 2022-1[12]-\\d\\d\\)");
            })
            .extracting(Entity::name).contains("Binance: Tron reserve wallet", "Bitfinex: Tron hot wallet", "Huobi: Tron reserve wallet",
                "KuCoin: Tron reserve wallet");
        assertThat(pack).contains(new Entity(Address.parse("TXFBqBbqJommqZf7BV8NNYzePh97UmJodJ"), "Bitfinex: Tron hot wallet",
            Category.EXCHANGE_HOT_WALLET, "GraphSense TagPack packs/exchange-wallets-bitfinexcom.yaml via graphsense/graphsense-tagpacks@29ff93c (MIT)"
                + " citing https://github.com/bitfinexcom/pub/blob/main/wallets.txt (lastmod 2022-12-12)", 50, ChainKind.TRON));
        assertThat(pack).contains(new Entity(Address.parse("0xd90e2f925DA726b50C4Ed8D0Fb90Ad053324F31b"), "Tornado.Cash: Router",
            Category.MIXER, "OFAC sdn_advanced.xml 2025-03-04 entry 39796 TORNADO CASH feature 56363; name from Etherscan label via"
                + " brianleect/etherscan-labels@923aba7 (MIT; Etherscan scrape of June 2023)", 100));
    }

    @Test
    void namesAndSlugsMatchTheCitedEtherscanSnapshot() throws IOException {
        JsonNode etherscan = new ObjectMapper().readTree(
            SharedData.path("labels/brianleect_etherscan-labels/etherscan_combinedAllLabels.json").toFile());
        Map<Address, JsonNode> byAddress = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = etherscan.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byAddress.put(Address.parse(e.getKey().toLowerCase()), e.getValue());
        }

        for (Entity e : DefaultLabels.load().stream().filter(x -> x.kind() == ChainKind.EVM).toList()) {
            JsonNode cited = byAddress.get(e.address());
            assertThat(cited).as("%s is in the cited Etherscan snapshot", e.address()).isNotNull();
            List<String> slugs = new java.util.ArrayList<>();
            cited.path("labels").forEach(l -> slugs.add(l.asText()));
            if (e.category() == Category.BRIDGE) {
                assertThat(slugs).as("slugs of %s", e.address()).contains("bridge");
                assertThat(e.name()).isEqualTo(cited.path("name").asText());
            } else {
                assertThat(slugs).as("slugs of %s", e.address()).containsAnyOf("tornado-cash", "ofac-sanctions-lists");
                // two USDC pools whose Etherscan and tutela-app denominations disagree are named without one
                assertThat(e.name()).isIn(cited.path("name").asText(), "Tornado.Cash: USDC pool");
            }
        }
    }
}
