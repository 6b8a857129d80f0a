package io.taintwatch.exposure;

import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.Account;
import io.taintwatch.taint.Holding;
import io.taintwatch.taint.KeyValues;
import io.taintwatch.taint.Provenance;
import io.taintwatch.taint.StateCodec;
import io.taintwatch.taint.TaintEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Assembles an address's {@link Exposure} from its chain's stores: the label and seed records, the account's header and
 * holding records (taint held, hops, provenance), the {@code taint-received} record, and the position. Every read of
 * one answer happens between two blocks ({@link EngineProgress#read}), so the figures agree with each other.
 *
 * <p>The sources' categories and references come from the seed records; they are indexed by source id once per change of
 * the seeds, not per query.
 */
public final class ExposureQueries {
    private static final BigInteger PPM = BigInteger.valueOf(1_000_000);
    private static final byte[] META_KEY = "meta".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final ChainState state;
    private volatile SourceIndex sources = new SourceIndex(-1, Map.of());

    private record SourceIndex(long version, Map<String, Exposure.Source> byId) {}

    private record Tokens(long version, io.taintwatch.tokens.TokenRegistry registry) {}

    private Tokens tokens = new Tokens(-1, null);

    public ExposureQueries(ChainState state) {
        this.state = state;
    }

    public ChainState state() {
        return state;
    }

    /** The exposure of {@code address} now. */
    public Exposure exposure(Address address) {
        Map<String, Exposure.Source> index = sourceIndex();
        return state.progress().read(() -> assemble(address, index));
    }

    private Exposure assemble(Address address, Map<String, Exposure.Source> index) {
        byte[] key = address.toBytes();
        byte[] position = state.meta().get(META_KEY);
        long asOf = position == null ? -1 : StateCodec.lastBlockOf(position);
        byte[] labelRecord = state.labels().get(key);
        Entity label = labelRecord == null ? null : Json.parseEntity(labelRecord);
        byte[] seedRecord = state.seeds().get(key);
        Exposure.SeedStatus seed = null;
        if (seedRecord != null) {
            TaintEngine.ActiveSeed a = StateCodec.decodeSeed(seedRecord);
            Seed s = a.seed();
            seed = new Exposure.SeedStatus(s.sourceId(), s.category(), s.reference(), s.validFrom(), a.effectiveFrom());
        }
        Account account;
        try (KeyValues.Scan records = state.accounts().scan(StateCodec.accountKey(address))) {
            account = StateCodec.readAccount(records);
        }
        List<Exposure.Held> held = account == null ? List.of() : held(account);
        byte[] receivedRecord = state.received().get(key);
        List<ReceivedTaint> received = receivedRecord == null ? List.of() : ReceivedTaint.decode(receivedRecord);
        TreeSet<String> named = new TreeSet<>();
        held.forEach(h -> named.add(h.source()));
        received.forEach(r -> named.add(r.source()));
        if (seed != null) {
            named.add(seed.sourceId());
        }
        Map<String, Exposure.Source> sources = new TreeMap<>();
        for (String id : named) {
            Exposure.Source s = index.get(id);
            // a source whose seeds were all removed still explains the taint it left: named without a category
            sources.put(id, s != null ? s : new Exposure.Source(id, null, "", List.of()));
        }
        Exposure.Flow first = received.stream().min(Comparator.comparing(ReceivedTaint::first))
            .map(r -> new Exposure.Flow(r.first(), r.firstTx())).orElse(null);
        Exposure.Flow last = received.stream().max(Comparator.comparing(ReceivedTaint::last))
            .map(r -> new Exposure.Flow(r.last(), r.lastTx())).orElse(null);
        return new Exposure(state.chain(), address, asOf, label, seed, account != null, held, received, sources, first, last);
    }

    /** The taint an account holds now, per asset and source, with the kept inbound flows of each source. */
    static List<Exposure.Held> held(Account account) {
        List<Exposure.Held> out = new ArrayList<>();
        for (Map.Entry<Asset, Holding> e : account.holdings().entrySet()) {
            Holding h = e.getValue();
            for (Map.Entry<String, BigInteger> t : h.taint().entrySet()) {
                if (t.getValue().signum() == 0) {
                    continue;
                }
                long ppm = h.balance().signum() == 0 ? 0 : t.getValue().multiply(PPM).divide(h.balance()).min(PPM).longValueExact();
                Integer hop = account.hop(t.getKey());
                List<Exposure.Evidence> evidence = new ArrayList<>();
                for (Provenance p : account.provenance(t.getKey())) {
                    if (p.path().isEmpty() || p.path().getLast().asset().equals(e.getKey())) {
                        evidence.add(new Exposure.Evidence(p.tainted(), p.complete(), p.path()));
                    }
                }
                out.add(new Exposure.Held(e.getKey(), h.balance(), h.basis(), t.getKey(), t.getValue(), ppm, hop == null ? 0 : hop, evidence));
            }
        }
        return out;
    }

    /** The sources by id, rebuilt from the seed records when the seeds changed since the last build. */
    public Map<String, Exposure.Source> sourceIndex() {
        SourceIndex current = sources;
        long version = state.progress().referenceVersion();
        if (current.version() == version) {
            return current.byId();
        }
        Map<String, List<Seed>> byId = new TreeMap<>();
        try (KeyValues.Scan records = state.seeds().scan(new byte[0])) {
            while (records.hasNext()) {
                Seed s = StateCodec.decodeSeed(records.next().getValue()).seed();
                byId.computeIfAbsent(s.sourceId(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, Exposure.Source> out = new TreeMap<>();
        byId.forEach((id, seeds) -> {
            Seed first = seeds.getFirst();
            out.put(id, new Exposure.Source(id, first.category(), first.reference(), seeds.stream().map(Seed::address).sorted().toList()));
        });
        sources = new SourceIndex(version, out);
        return out;
    }

    /**
     * The engine's token registry as its {@code taint-tokens} store holds it (declared tokens, metadata ingest read, the
     * native asset), rebuilt when the tokens changed since the last build; without a token store, the native asset alone.
     * Its verdicts are the live engine's. Callers synchronise on it (its verdict cache is not thread-safe).
     */
    public synchronized io.taintwatch.tokens.TokenRegistry tokens() {
        long version = state.progress().tokensVersion();
        if (tokens.version() == version && tokens.registry() != null) {
            return tokens.registry();
        }
        io.taintwatch.tokens.TokenRegistry r = new io.taintwatch.tokens.TokenRegistry(state.chain(), state.nativeAsset());
        if (state.tokens() != null) {
            try (KeyValues.Scan records = state.tokens().scan(new byte[0])) {
                while (records.hasNext()) {
                    var kv = records.next();
                    StateCodec.restoreToken(r, kv.getKey(), kv.getValue());
                }
            }
        }
        tokens = new Tokens(version, r);
        return r;
    }

    /** The registry's verdict on a token contract (see {@link #tokens()}). */
    public io.taintwatch.tokens.Token token(Address contract) {
        io.taintwatch.tokens.TokenRegistry r = tokens();
        synchronized (r) {
            return r.token(contract);
        }
    }
}
