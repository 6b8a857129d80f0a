package io.taintwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.model.Address;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.tokens.Token;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

class StoreLookupsTest {
    private static final Address FAKE_ETH = Address.parse("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");

    /** A store that another thread fills, as the global store thread does. */
    private static final class LateStore<V> implements ReadOnlyKeyValueStore<String, V> {
        final Map<String, V> m = new ConcurrentHashMap<>();
        final Map<String, Integer> reads = new ConcurrentHashMap<>();

        @Override
        public V get(String key) {
            reads.merge(key, 1, Integer::sum);
            return m.get(key);
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, V> all() {
            java.util.Iterator<Map.Entry<String, V>> it = m.entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, V> next() {
                    Map.Entry<String, V> e = it.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return m.size();
        }
    }

    private static StoreLookups lookups(LateStore<TokenInfo> tokens) {
        ChainSettings eth = ChainSettings.ethereum();
        return new StoreLookups(new LateStore<>(), new LateStore<>(), tokens, null, () -> 0, null, Map.of(eth.name(), eth), eth.kind());
    }

    @Test
    void aTokenWhoseMetadataReachesTheStoreAfterItsBlockIsJudgedByThatMetadata() throws Exception {
        LateStore<TokenInfo> tokens = new LateStore<>();
        tokens.m.put("ethereum:native", new TokenInfo("ETH", 18, "Ether"));
        ScheduledExecutorService globalThread = Executors.newSingleThreadScheduledExecutor();
        try {
            globalThread.schedule(() -> tokens.m.put("ethereum:" + FAKE_ETH, new TokenInfo("ЕТН", 18, "Еther")), 200, TimeUnit.MILLISECONDS);
            Token t = lookups(tokens).token(ChainSettings.ethereum().chainId(), FAKE_ETH);
            assertThat(t.status()).as("judged with the metadata written with the block").isEqualTo(TokenStatus.COUNTERFEIT);
        } finally {
            globalThread.shutdownNow();
        }
    }

    @Test
    void afterAWaitInVainTheNextTokenWithoutMetadataIsNotAwaited() {
        LateStore<TokenInfo> tokens = new LateStore<>();
        tokens.m.put("ethereum:native", new TokenInfo("ETH", 18, "Ether"));
        StoreLookups lookups = lookups(tokens);
        Address older = Address.parse("0x" + "0b".repeat(20));
        assertThat(lookups.token(ChainSettings.ethereum().chainId(), older).status()).isEqualTo(TokenStatus.UNVERIFIED);
        assertThat(tokens.reads.get("ethereum:" + older)).as("awaited: read again and again").isGreaterThan(2);
        lookups.token(ChainSettings.ethereum().chainId(), FAKE_ETH);
        assertThat(tokens.reads.get("ethereum:" + FAKE_ETH)).as("read once, by chain and contract, after the miss").isEqualTo(1);
    }
}
