package io.taintwatch.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taintwatch.model.LegKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
    @Test
    void lagInBlocksAndSecondsFollowHeadAndLastPublishedBlock() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        IngestMetrics m = new IngestMetrics(r, Clock.fixed(Instant.ofEpochSecond(1_000_120), ZoneOffset.UTC));
        m.head("ethereum", 110);
        m.published("ethereum", 100, 1_000_000, Map.of(LegKind.ERC20, 3L, LegKind.FEE, 2L));
        assertThat(r.get(IngestMetrics.LAG_BLOCKS).tag("chain", "ethereum").gauge().value()).isEqualTo(10);
        assertThat(r.get(IngestMetrics.LAG_SECONDS).tag("chain", "ethereum").gauge().value()).isEqualTo(120);
        assertThat(r.get(IngestMetrics.LAST_PUBLISHED_BLOCK).gauge().value()).isEqualTo(100);
        assertThat(r.get(IngestMetrics.LEGS).tag("kind", "erc20").counter().count()).isEqualTo(3);
        assertThat(r.get(IngestMetrics.BLOCKS).counter().count()).isEqualTo(1);
        // a block of unknown time (transfer-only export) leaves the lag in seconds alone
        m.published("ethereum", 101, 0, Map.of());
        assertThat(r.get(IngestMetrics.LAG_SECONDS).tag("chain", "ethereum").gauge().value()).isEqualTo(120);
    }

    @Test
    void rpcMetersCarryMethodAndEndpointHostOnly() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        IngestMetrics m = new IngestMetrics(r);
        m.rpcLatency("eth_getBlockByNumber", "eth-mainnet.g.alchemy.com", java.time.Duration.ofMillis(30));
        m.rpcError("eth_getBlockByNumber", "eth-mainnet.g.alchemy.com", "retriable", "timeout");
        m.rpcError("eth_getBlockByNumber", "eth-mainnet.g.alchemy.com", "retriable", "server_error");
        m.rpcFailover("eth-mainnet.g.alchemy.com", "timeout");
        m.endpointHead("node:8545", 42);
        assertThat(r.get(IngestMetrics.RPC_LATENCY).tag("endpoint", "eth-mainnet.g.alchemy.com").timer().count()).isEqualTo(1);
        assertThat(m.count(IngestMetrics.RPC_ERRORS, "endpoint", "eth-mainnet.g.alchemy.com")).isEqualTo(2);
        assertThat(m.count(IngestMetrics.RPC_ERRORS, "kind", "timeout")).isEqualTo(1);
        assertThat(m.count(IngestMetrics.RPC_FAILOVERS, "kind", "timeout")).isEqualTo(1);
        assertThat(r.get(IngestMetrics.RPC_ENDPOINT_HEAD).tag("endpoint", "node:8545").gauge().value()).isEqualTo(42);
        assertThat(m.rpcSecondsTotal()).isGreaterThan(0.029);
    }
}
