package io.taintwatch.alerts.api;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK's HTTP server with {@link HttpLimits} enforced per server. The JDK runs each exchange (reading the request,
 * the handler, writing the response) as one task on the server's executor; here every task gets its own virtual
 * thread, so slow clients hold no pool, and a watchdog interrupts a task past its deadline: the interrupt closes the
 * connection (its channel is interruptible) wherever the task is blocked, also while the JDK still reads the request
 * line and headers, where no handler or filter sees it. The JDK's own limits, which are JVM-wide system properties,
 * are left alone. Contexts created on this server get the request cap; {@code probePaths} (e.g. {@code /health}) are
 * never refused by it, so a busy server still answers its liveness probe.
 */
public final class LimitedHttpServer extends HttpServer {
    private static final Logger log = LoggerFactory.getLogger(LimitedHttpServer.class);
    private static final ThreadLocal<Exchange> CURRENT = new ThreadLocal<>();
    private static final byte[] BUSY = "{\"error\":\"server busy: too many requests in progress, retry later\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final String name;
    private final HttpLimits limits;
    private final Set<String> probePaths;
    private final Set<Exchange> inProgress = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final Semaphore requests;
    private final ScheduledExecutorService watchdog;
    private final ThreadFactory threads;
    private final AtomicLong lastCapWarning = new AtomicLong();

    /** One exchange in progress: its thread and the time it must be done by ({@link Long#MAX_VALUE}: none). */
    private final class Exchange {
        volatile Thread thread;
        volatile long deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        boolean holdsRequestPermit; // only touched by the exchange's own thread

        Stream toStream() {
            deadline = Long.MAX_VALUE;
            releaseRequestPermit();
            return new Stream() {
                @Override
                public void writing() {
                    deadline = System.nanoTime() + limits.requestTimeout().toNanos();
                }

                @Override
                public void written() {
                    deadline = Long.MAX_VALUE;
                }
            };
        }

        void releaseRequestPermit() {
            if (holdsRequestPermit) {
                holdsRequestPermit = false;
                requests.release();
            }
        }
    }

    /** Creates a server bound to {@code address}; start it after creating its contexts. */
    public static LimitedHttpServer create(String name, InetSocketAddress address, HttpLimits limits, Set<String> probePaths) throws IOException {
        return new LimitedHttpServer(name, HttpServer.create(address, 128), limits, probePaths);
    }

    private LimitedHttpServer(String name, HttpServer server, HttpLimits limits, Set<String> probePaths) {
        this.server = server;
        this.name = name;
        this.limits = limits;
        this.probePaths = Set.copyOf(probePaths);
        this.requests = new Semaphore(limits.maxRequests());
        this.threads = Thread.ofVirtual().name(name + "-http-", 0).factory();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-http-watchdog");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.clamp(limits.requestTimeout().toMillis() / 4, 10, 1000);
        watchdog.scheduleWithFixedDelay(this::expire, tick, tick, TimeUnit.MILLISECONDS);
        server.setExecutor(this::run);
    }

    private void run(Runnable task) {
        boolean over = connections.incrementAndGet() > limits.maxConnections();
        Exchange x = new Exchange();
        Thread t = threads.newThread(() -> {
            CURRENT.set(x);
            try {
                if (over) {
                    warnAtCap();
                    // the JDK's next read on the connection's channel then closes it: refused without an answer
                    Thread.currentThread().interrupt();
                }
                task.run();
            } finally {
                CURRENT.remove();
                inProgress.remove(x);
                connections.decrementAndGet();
            }
        });
        x.thread = t;
        inProgress.add(x);
        t.start();
    }

    private void warnAtCap() {
        long now = System.nanoTime();
        long last = lastCapWarning.get();
        if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && lastCapWarning.compareAndSet(last, now)) {
            log.warn("{} HTTP: {} connections in progress (the cap): closing new connections until some finish", name, limits.maxConnections());
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Exchange x : inProgress) {
            long deadline = x.deadline;
            if (deadline != Long.MAX_VALUE && now - deadline > 0) {
                x.deadline = Long.MAX_VALUE; // once is enough: the interrupt closes the channel
                log.debug("{} HTTP: closing a connection past the request timeout of {}", name, limits.requestTimeout());
                x.thread.interrupt();
            }
        }
    }

    /**
     * For a handler that streams (SSE) on this server: the exchange leaves the request timeout and the request cap; call
     * {@link Stream#writing()} before and {@link Stream#written()} after each write, which must finish within the request
     * timeout. On another server the returned stream does nothing.
     */
    public static Stream stream() {
        Exchange x = CURRENT.get();
        return x == null ? Stream.NONE : x.toStream();
    }

    /** Write deadlines of a streaming exchange. */
    public interface Stream {
        Stream NONE = new Stream() {
            @Override
            public void writing() {
            }

            @Override
            public void written() {
            }
        };

        void writing();

        void written();
    }

    /** Caps the requests handled at once; probes pass, and a streaming exchange gives its permit back. */
    private final class RequestCap extends Filter {
        @Override
        public void doFilter(HttpExchange ex, Chain chain) throws IOException {
            Exchange x = CURRENT.get();
            if (x == null || probePaths.contains(ex.getRequestURI().getPath())) {
                chain.doFilter(ex);
                return;
            }
            if (!requests.tryAcquire()) {
                try (ex) {
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.getResponseHeaders().set("Retry-After", "1");
                    ex.sendResponseHeaders(503, BUSY.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(BUSY);
                    }
                }
                return;
            }
            x.holdsRequestPermit = true;
            try {
                chain.doFilter(ex);
            } finally {
                x.releaseRequestPermit();
            }
        }

        @Override
        public String description() {
            return "at most " + limits.maxRequests() + " requests in progress";
        }
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        server.bind(addr, backlog);
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        throw new UnsupportedOperationException("a LimitedHttpServer runs every exchange on its own virtual thread");
    }

    @Override
    public Executor getExecutor() {
        return server.getExecutor();
    }

    @Override
    public void stop(int delay) {
        server.stop(delay);
        watchdog.shutdownNow();
        inProgress.forEach(x -> x.thread.interrupt());
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        HttpContext c = server.createContext(path, handler);
        c.getFilters().add(new RequestCap());
        return c;
    }

    @Override
    public HttpContext createContext(String path) {
        HttpContext c = server.createContext(path);
        c.getFilters().add(new RequestCap());
        return c;
    }

    @Override
    public void removeContext(String path) {
        server.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        server.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return server.getAddress();
    }
}
