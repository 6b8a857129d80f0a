package io.taintwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.model.ChainId;
import io.taintwatch.synth.MainnetChain;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The soak: the live pipeline (ingest's sink, taint, alerts) on one in-process broker at a fixed rate for a long
 * time. Every sample interval: produced and processed legs per second, engine lag, block-to-alert latency of the
 * interval, heap used after a full GC, RSS, tracked addresses, state bytes on disk, changelog bytes and alerts so far. Reports the
 * least-squares slope of heap, RSS, state bytes and tracked addresses per minute over the second half of the run
 * (the first half includes warm-up: JIT, caches, RocksDB memtables filling).
 */
public final class Soak {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Soak() {}

    public static ObjectNode run(double legsPerS, Duration duration, Duration sample, long seed, int launderingPerMillionTx, PrintStream log)
        throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.set("machine", Machine.describe());
        out.put("target_legs_per_s", Math.round(legsPerS)).put("x_mainnet", PipelineBench.round3(legsPerS / PipelineBench.MAINNET_LEGS_PER_S))
            .put("duration_s", duration.toSeconds()).put("sample_s", sample.toSeconds()).put("laundering_per_million_tx", launderingPerMillionTx);
        Path dir = Files.createTempDirectory("taintwatch-soak-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), true, Map.of())) {
            MainnetChain chain = new MainnetChain(new ChainId(4, "soak"), MainnetChain.Params.defaults(seed).withLaundering(launderingPerMillionTx));
            try (LivePipeline p = new LivePipeline(kafka.bootstrapServers(), chain, dir.resolve("live"), "soak")) {
                Pacer.run(p, legsPerS, Duration.ofSeconds(2), Long.MAX_VALUE);
                if (!p.awaitCaughtUp(Duration.ofSeconds(120)) || !p.awaitAlertsQuiet(1, Duration.ofSeconds(2), Duration.ofSeconds(120))) {
                    throw new IllegalStateException("the live pipeline did not start (engine caught up, a first alert) within 120 s");
                }
                log.println("soak: pipeline up; sampling every " + sample.toSeconds() + " s for " + duration.toSeconds() + " s at "
                    + Math.round(legsPerS) + " legs/s");
                log.println("   t_s  produced/s  engine/s  lag_blk  lat_p50_ms  lat_p99_ms  heap_gc_MB  rss_MB  anon_MB  file_MB  heap_com_MB  nonheap_MB  direct_MB  rocksdb_MB  tracked  state_MB  changelog_MB  alerts");
                ArrayNode samples = out.putArray("samples");
                List<double[]> series = new ArrayList<>();
                long t0 = System.nanoTime();
                double lastEngine = p.engineLegs();
                long lastProduced = p.producedLegs();
                while (System.nanoTime() - t0 < duration.toNanos()) {
                    LivePipeline.Window w = p.window();
                    long left = duration.toNanos() - (System.nanoTime() - t0);
                    Pacer.Run run = Pacer.run(p, legsPerS, Duration.ofNanos(Math.min(sample.toNanos(), left)), Long.MAX_VALUE);
                    LivePipeline.Latency l = w.close();
                    double t = (System.nanoTime() - t0) / 1e9;
                    double engine = p.engineLegs();
                    long produced = p.producedLegs();
                    double lag = Math.max(0, p.lastProduced() - p.lastProcessed());
                    long heap = Machine.heapAfterGc();
                    long rss = Machine.status("VmRSS");
                    // anonymous memory is the process's own (heap, RocksDB, buffers); file-backed is mapped files, mostly the
                    // in-process broker's memory-mapped log indexes, which grow with the log and not with taintwatch
                    long rssAnon = Machine.status("RssAnon");
                    long rssFile = Machine.status("RssFile");
                    long rocks = io.taintwatch.topology.BoundedRocksDb.usage();
                    Machine.JvmMemory jvm = Machine.JvmMemory.now();
                    double tracked = p.tracked();
                    long state = p.stateBytes();
                    long changelog = p.changelogBytes();
                    double alerts = p.alertsEmitted();
                    double producedRate = (produced - lastProduced) / run.seconds();
                    double engineRate = (engine - lastEngine) / run.seconds();
                    lastEngine = engine;
                    lastProduced = produced;
                    log.printf("%6.0f  %10.0f  %8.0f  %7.0f  %10.0f  %10.0f  %10.1f  %6.1f  %7.1f  %7.1f  %11.1f  %10.1f  %9.1f  %10.1f  %7.0f  %8.1f  %12.2f  %6.0f%n", t,
                        producedRate, engineRate, lag, l.p50(), l.p99(), heap / 1048576.0, rss / 1048576.0, rssAnon / 1048576.0, rssFile / 1048576.0,
                        jvm.heapCommitted() / 1048576.0, jvm.nonHeapCommitted() / 1048576.0, jvm.direct() / 1048576.0, rocks / 1048576.0, tracked, state / 1048576.0, changelog / 1048576.0, alerts);
                    samples.addObject().put("t_s", PipelineBench.round3(t)).put("produced_legs_per_s", Math.round(producedRate))
                        .put("engine_legs_per_s", Math.round(engineRate)).put("lag_blocks", lag).put("latency_p50_ms", l.p50())
                        .put("latency_p99_ms", l.p99()).put("latency_max_ms", l.max()).put("latency_samples", l.samples())
                        .put("heap_used_after_gc_bytes", heap).put("rss_bytes", rss).put("rss_anon_bytes", rssAnon)
                        .put("rss_file_bytes", rssFile).put("heap_committed_bytes", jvm.heapCommitted())
                        .put("non_heap_committed_bytes", jvm.nonHeapCommitted()).put("direct_buffer_bytes", jvm.direct()).put("rocksdb_bytes", rocks).put("tracked_addresses", Math.round(tracked))
                        .put("state_bytes", state).put("changelog_bytes", changelog).put("alerts_emitted", Math.round(alerts));
                    series.add(new double[] {t, heap, rss, state, tracked, engineRate, changelog, rssAnon, rssFile, rocks, jvm.heapCommitted(), jvm.nonHeapCommitted()});
                    p.checkAlive();
                }
                out.put("legs_produced", p.producedLegs()).put("legs_processed", Math.round(p.engineLegs()));
                List<double[]> half = series.subList(series.size() / 2, series.size());
                putSlopes(out.putObject("slope_per_minute_second_half"), half);
                putSlopes(out.putObject("slope_per_minute_whole_run"), series);
                double[] rates = series.stream().mapToDouble(s -> s[5]).sorted().toArray();
                out.put("engine_legs_per_s_min", Math.round(rates[0])).put("engine_legs_per_s_median", Math.round(rates[rates.length / 2]))
                    .put("engine_legs_per_s_max", Math.round(rates[rates.length - 1]));
                log.printf("soak: slopes per minute over the second half: heap used %+.2f MB, committed %+.2f MB, non-heap %+.2f MB; RSS %+.2f MB"
                    + " (anonymous %+.2f, file-backed %+.2f), RocksDB %+.2f MB, state %+.2f MB, tracked %+.1f addresses%n", mb(slope(half, 1) * 60),
                    mb(slope(half, 10) * 60), mb(slope(half, 11) * 60), mb(slope(half, 2) * 60), mb(slope(half, 7) * 60), mb(slope(half, 8) * 60),
                    mb(slope(half, 9) * 60), mb(slope(half, 3) * 60), slope(half, 4) * 60);
            }
            Machine.memory(out);
            return out;
        } finally {
            Machine.deleteTree(dir);
        }
    }

    /** Least-squares slope of column {@code col} against column 0 (seconds); 0 with fewer than two points. */
    /** JSON names of the sampled columns (index as in the series rows; null: not reported as a slope). */
    private static final String[] COLUMNS = {null, "heap_used_after_gc_bytes", "rss_bytes", "state_bytes", "tracked_addresses", null,
        "changelog_bytes", "rss_anon_bytes", "rss_file_bytes", "rocksdb_bytes", "heap_committed_bytes", "non_heap_committed_bytes"};

    /** Least-squares slope per minute of every column: bytes rounded, tracked addresses to three decimals. */
    private static void putSlopes(ObjectNode n, List<double[]> rows) {
        for (int c = 0; c < COLUMNS.length; c++) {
            if (COLUMNS[c] != null) {
                double perMinute = slope(rows, c) * 60;
                if (COLUMNS[c].equals("tracked_addresses")) {
                    n.put(COLUMNS[c], PipelineBench.round3(perMinute));
                } else {
                    n.put(COLUMNS[c], Math.round(perMinute));
                }
            }
        }
    }

    private static double mb(double bytes) {
        return bytes / 1048576.0;
    }

    static double slope(List<double[]> xs, int col) {
        int n = xs.size();
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (double[] x : xs) {
            mx += x[0];
            my += x[col];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (double[] x : xs) {
            sxy += (x[0] - mx) * (x[col] - my);
            sxx += (x[0] - mx) * (x[0] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
