package io.taintwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The machine a benchmark ran on and the process's memory: heap from the JVM, RSS from {@code /proc/self/status}. */
final class Machine {
    private Machine() {}

    static ObjectNode describe() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("cpus", Runtime.getRuntime().availableProcessors()).put("java", System.getProperty("java.version"))
            .put("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return n;
    }

    /** Heap max and used after a full collection, RSS and its peak. */
    static void memory(ObjectNode out) {
        long rss = status("VmRSS");
        // the kernel updates VmHWM lazily: a later VmRSS read can exceed it, so the peak is at least the current RSS
        out.put("heap_max_bytes", Runtime.getRuntime().maxMemory()).put("heap_used_after_gc_bytes", heapAfterGc())
            .put("rss_bytes", rss).put("rss_peak_bytes", Math.max(rss, status("VmHWM")));
        ((ObjectNode) out.get("machine")).put("load_average_1m_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** What the JVM itself accounts for: committed heap, committed non-heap (metaspace, code cache), NIO direct buffers. */
    record JvmMemory(long heapCommitted, long nonHeapCommitted, long direct) {
        static JvmMemory now() {
            long direct = 0;
            for (var pool : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    direct = pool.getMemoryUsed();
                }
            }
            var m = ManagementFactory.getMemoryMXBean();
            return new JvmMemory(m.getHeapMemoryUsage().getCommitted(), m.getNonHeapMemoryUsage().getCommitted(), direct);
        }
    }

    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A {@code kB} field of /proc/self/status in bytes, or -1 where there is no such file (not Linux). */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String v = line.substring(field.length() + 1).trim();
                    return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Bytes of the regular files under {@code dir}; -1 when it cannot be read. */
    static long treeBytes(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // a file RocksDB removed while we walked
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
