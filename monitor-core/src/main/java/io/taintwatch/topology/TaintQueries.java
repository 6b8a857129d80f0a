package io.taintwatch.topology;

import io.taintwatch.exposure.ChainState;
import io.taintwatch.exposure.EngineProgress;
import io.taintwatch.exposure.ExposureQueries;
import io.taintwatch.taint.KeyValues;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Interactive queries of the taint application's stores: a chain's state is read here when its engine task runs in this
 * instance, and otherwise the instance that runs it is named (from Kafka Streams' metadata, which every instance has:
 * each advertises its query endpoint as {@code application.server}), for the caller to forward the query there.
 * Standby copies are not read: an answer is always the active engine's state.
 */
public final class TaintQueries {
    /** Where a chain's state can be read. */
    public sealed interface Route {
        /** In this instance. */
        record Local(ExposureQueries queries) implements Route {}

        /** In another instance, at its advertised host and port. */
        record Remote(HostInfo host) implements Route {}

        /** Nowhere now: no instance runs the chain's task (starting, rebalancing, restoring). */
        record Unavailable(String reason) implements Route {}

        /** The application has no such chain. */
        record Unknown() implements Route {}
    }

    private final Map<String, TaintTopologyConfig> chains = new ConcurrentHashMap<>();
    private final Supplier<KafkaStreams> streams;
    private final EngineProgress.Board progress;
    private final HostInfo self;
    private final Map<String, ExposureQueries> local = new ConcurrentHashMap<>();

    /**
     * @param streams the running application (a supplier: the queries are made before the application is)
     * @param self    the {@code application.server} this instance advertises, or null when it advertises none
     */
    public TaintQueries(Iterable<TaintTopologyConfig> chains, Supplier<KafkaStreams> streams, EngineProgress.Board progress, HostInfo self) {
        chains.forEach(c -> this.chains.put(c.chain().name(), c));
        this.streams = streams;
        this.progress = progress;
        this.self = self;
    }

    /** The {@code host:port} this instance advertises, or null when it advertises none. */
    public String self() {
        return self == null ? null : self.host() + ":" + self.port();
    }

    /** Where the state of {@code chain} can be read now. */
    public Route route(String chain) {
        TaintTopologyConfig config = chains.get(chain);
        if (config == null) {
            return new Route.Unknown();
        }
        KafkaStreams s = streams.get();
        if (s == null || s.state() != KafkaStreams.State.RUNNING && s.state() != KafkaStreams.State.REBALANCING) {
            return new Route.Unavailable("the taint engine is " + (s == null ? "starting" : s.state().toString().toLowerCase()));
        }
        String accounts = TaintTopology.storeName(config.chain(), TaintTopology.ACCOUNTS_STORE);
        KeyQueryMetadata owner = s.queryMetadataForKey(accounts, Long.toString(config.chain().id()), Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new Route.Unavailable("no instance runs the engine of " + chain + " now");
        }
        if (self != null && !owner.activeHost().equals(self)) {
            return new Route.Remote(owner.activeHost());
        }
        try {
            return new Route.Local(local.computeIfAbsent(chain, c -> new ExposureQueries(stateOf(s, config))));
        } catch (InvalidStateStoreException e) {
            local.remove(chain);
            return new Route.Unavailable("the state of " + chain + " is not queryable here now: " + e.getMessage());
        }
    }

    /** Forgets the store handles of {@code chain}, after they failed (the task moved away or is restoring). */
    public void invalidate(String chain) {
        local.remove(chain);
    }

    private ChainState stateOf(KafkaStreams s, TaintTopologyConfig c) {
        Function<String, KeyValues> store = name -> StoreKeyValues.readOnly(s.store(StoreQueryParameters.fromNameAndType(
            TaintTopology.storeName(c.chain(), name), QueryableStoreTypes.<Bytes, byte[]>keyValueStore())));
        return new ChainState(c.chain(), c.taint(), c.nativeAsset(), store.apply(TaintTopology.ACCOUNTS_STORE),
            store.apply(TaintTopology.SEEDS_STORE), store.apply(TaintTopology.LABELS_STORE), store.apply(TaintTopology.META_STORE),
            store.apply(TaintTopology.RECEIVED_STORE), c.readsTokens() ? store.apply(TaintTopology.TOKENS_STORE) : null,
            progress.of(c.chain().name()));
    }
}
