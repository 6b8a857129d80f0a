package io.taintwatch.alerts;

import io.taintwatch.alerts.rules.OwnAddresses;
import io.taintwatch.alerts.rules.RulesConfig;
import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.taint.TaintEngine;
import io.taintwatch.testing.Chain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taintwatch.testing.Chain.addr;

/**
 * A small laundering story run through the real taint engine: a theft seed pays a mule, the mule splits to a
 * second mule, a mixer and our deposit; the second mule pays another exchange's deposit address in many legs;
 * someone pays a sanctioned address; our hot wallet withdraws to the mixer.
 */
public final class Scenario {
    public static final int REPEATED_DEPOSITS = 12;

    public final List<Seed> seeds = List.of(
        new Seed(addr("hacker"), "hack-2025", Category.THEFT, 0, "Bybit hack 2025-02-21, FBI PSA I-022625"),
        new Seed(addr("sdn"), "ofac-39796", Category.SANCTIONS, 0, "OFAC SDN 39796 CYBER2"));
    public final List<Entity> labels = List.of(
        new Entity(addr("other-deposit"), "OtherEx", Category.EXCHANGE_DEPOSIT, "test", 90),
        new Entity(addr("our-deposit"), "WeEx", Category.EXCHANGE_DEPOSIT, "test", 100),
        new Entity(addr("our-hot"), "WeEx", Category.EXCHANGE_HOT_WALLET, "test", 100),
        new Entity(addr("mixer"), "Tornado", Category.MIXER, "test", 100));
    public final List<Block> blocks;
    public final List<TaintFlow> flows = new ArrayList<>();

    public Scenario() {
        Chain c = new Chain(100);
        c.block().send("hacker", "mule1", 100_000).build();
        c.block().send("mule1", "mule2", 60_000).send("mule1", "mixer", 10_000).build();
        for (int i = 0; i < REPEATED_DEPOSITS; i++) {
            c.block().send("mule2", "other-deposit", 1_000 + i).build();
        }
        c.block().send("mule1", "our-deposit", 20_000).send("alice", "sdn", 5).send("our-hot", "mixer", 7).send("our-hot", "mule2", 3).build();
        c.block().send("sdn", "bob", 1).build();
        blocks = List.copyOf(c.blocks());
        TaintEngine engine = new TaintEngine(Chain.CHAIN, TaintConfig.defaults().withDust(Map.of(), java.math.BigInteger.ZERO, 0));
        seeds.forEach(engine::putSeed);
        labels.forEach(engine::putLabel);
        for (Block b : blocks) {
            flows.addAll(engine.process(b).flows());
        }
    }

    /** Every alert version the rules emit for this scenario's flows (no Kafka), in emission order. */
    public List<io.taintwatch.model.Alert> alertVersions() {
        MapLookups l = new MapLookups();
        seeds.forEach(l::seed);
        labels.forEach(l::label);
        io.taintwatch.alerts.rules.RuleEngine engine = new io.taintwatch.alerts.rules.RuleEngine(config("x", Path.of("."), false).rules(), l);
        io.taintwatch.alerts.rules.AlertAggregator agg = new io.taintwatch.alerts.rules.AlertAggregator(RulesConfig.DEFAULT_QUIET_BLOCKS);
        java.util.Map<String, io.taintwatch.model.Alert> state = new java.util.HashMap<>();
        List<io.taintwatch.model.Alert> out = new ArrayList<>();
        for (TaintFlow f : flows) {
            for (io.taintwatch.alerts.rules.Candidate c : engine.onFlow(f)) {
                io.taintwatch.model.Alert next = agg.merge(state.get(c.groupKey()), c.alert());
                if (next != null) {
                    state.put(c.groupKey(), next);
                    out.add(next);
                }
            }
        }
        return out;
    }

    public static ChainSettings chain() {
        return new ChainSettings(Chain.CHAIN.id(), Chain.CHAIN.name(), "ETH", 18);
    }

    /** Every topic of the pipeline for the config's chains, as the pipeline's assembly creates them before any part starts. */
    public static void ensureTopics(AlertsConfig cfg, int partitions) {
        new PipelineTopics(PipelineTopics.Names.defaults(), partitions, -1, cfg.replicationFactor())
            .ensure(cfg.kafka(), cfg.chains().stream().map(ChainSettings::chainId).toList());
    }

    public static AlertsConfig config(String bootstrap, Path stateDir, boolean readBlocks) {
        RulesConfig rules = RulesConfig.defaults().withOwn(new OwnAddresses(Set.of("WeEx"), Set.of(), Set.of()))
            .withPolicyParameters(Map.of("policy", "haircut", "max_hops", "6"));
        return AlertsConfig.defaults(bootstrap, stateDir, chain()).withRules(rules).withReadBlocks(readBlocks).withReplicationFactor(1);
    }
}
