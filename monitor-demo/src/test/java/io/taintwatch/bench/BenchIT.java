package io.taintwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taintwatch.app.replay.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taintwatch bench --quick --json}: one real run end to end; every figure present and sane (no timing thresholds). */
class BenchIT {
    @Test
    void quickBenchWritesEveryFigure(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bench.json");
        Cli r = Cli.run("bench", "--quick", "--json", file.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        for (String f : new String[] {"produce_legs_per_s", "raw_consume_legs_per_s", "engine_legs_per_s", "e2e_legs_per_s", "max_sustained_legs_per_s",
            "heap_max_bytes", "heap_used_after_gc_bytes", "rss_bytes", "rss_peak_bytes", "legs"}) {
            assertThat(j.path(f).isNumber()).as(f + " in " + j).isTrue();
            assertThat(j.path(f).asDouble()).as(f).isPositive();
        }
        assertThat(j.path("heap_used_after_gc_bytes").asLong()).isLessThanOrEqualTo(j.path("heap_max_bytes").asLong());
        assertThat(j.path("rss_bytes").asLong()).isLessThanOrEqualTo(j.path("rss_peak_bytes").asLong());
        assertThat(j.path("engine_to_raw_consume_ratio").asDouble()).isPositive();
        for (String rate : new String[] {"1x", "10x", "100x"}) {
            JsonNode l = j.path("latency_ms").path(rate);
            assertThat(l.path("samples").asLong()).as(rate + " alert versions measured").isPositive();
            double p50 = l.path("p50").asDouble();
            double p99 = l.path("p99").asDouble();
            double max = l.path("max").asDouble();
            assertThat(p50).as(rate + " p50").isPositive();
            assertThat(p50).as(rate + " p50 <= p99").isLessThanOrEqualTo(p99);
            assertThat(p99).as(rate + " p99 <= max").isLessThanOrEqualTo(max);
            assertThat(l.path("achieved_legs_per_s").asDouble()).isPositive();
        }
        assertThat(j.path("ramp").size()).isPositive();
        assertThat(j.path("tracked_addresses").asLong()).isPositive();
        assertThat(r.out()).contains("bench: raw produce").contains("block-to-alert p50");
    }
}
