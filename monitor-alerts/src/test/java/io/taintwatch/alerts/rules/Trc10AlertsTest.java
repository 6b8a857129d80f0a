package io.taintwatch.alerts.rules;

import static io.taintwatch.testing.Chain.addr;
import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.alerts.LookalikeAddresses;
import io.taintwatch.alerts.MapLookups;
import io.taintwatch.alerts.MemoryLookups;
import io.taintwatch.model.Address;
import io.taintwatch.model.Alert;
import io.taintwatch.model.AlertRule;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TokenAmount;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.testing.Chain;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.TokenRegistry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TRC-10 assets in the alert rules: amounts in base units, and no lookalike verdict on a token without a contract. */
class Trc10AlertsTest {
    static final Asset BTT = Asset.trc10(BigInteger.valueOf(1_002_000));

    @Test
    void aTrc10AmountStaysInBaseUnitsAndSaysSo() {
        TokenAmount a = MemoryLookups.amount(new TokenRegistry(Chain.CHAIN, NativeAsset.defaultFor(Chain.CHAIN)), BTT, BigInteger.valueOf(1_500));

        assertThat(a.known()).isFalse();
        assertThat(a.raw()).isEqualTo(BigInteger.valueOf(1_500));
        assertThat(a.status()).isEqualTo(TokenStatus.UNVERIFIED);
    }

    @Test
    void aTrc10InternalTransferToALookalikeIsNoPoisoningTransferWhileANativeOneIs() {
        MapLookups lookups = new MapLookups().seed(new Seed(addr("hacker"), "hack", Category.THEFT, 0, "demo hack"));
        RulesConfig config = RulesConfig.defaults().withOwn(new OwnAddresses(Set.of("weex"), Set.of(), Set.of()));
        Address mule = addr("mule");
        Chain chain = new Chain(100);
        chain.block().tx().leg(LegKind.NATIVE, addr("hacker"), mule, Asset.NATIVE, BigInteger.TEN.pow(18)).build();
        chain.block().tx().leg(LegKind.INTERNAL, addr("hacker"), LookalikeAddresses.of(mule, 3, 4, "trc10"), BTT, BigInteger.ONE)
            .tx().leg(LegKind.NATIVE, addr("hacker"), LookalikeAddresses.of(mule, 3, 4, "dust"), Asset.NATIVE, BigInteger.ONE).build();

        RuleEngine engine = new RuleEngine(config, lookups, new CounterpartyMemory(SortedBytes.inMemory(), config.lookalike()));
        List<Alert> alerts = new ArrayList<>();
        for (Block b : chain.blocks()) {
            engine.onBlock(b).forEach(c -> alerts.add(c.alert()));
        }

        assertThat(alerts).filteredOn(a -> a.rule() == AlertRule.ADDRESS_POISONING && !a.note())
            .extracting(Alert::subject).containsExactly(LookalikeAddresses.of(mule, 3, 4, "dust"));
    }
}
