package io.taintwatch.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local anvil node (Foundry's dev chain) on a free loopback port, installed from npm on first use.
 *
 * <p>The binary comes from the npm package {@code @foundry-rs/anvil} at the version pinned in
 * {@code anvil.properties}, installed into {@code $TAINTWATCH_CACHE/anvil/<version>} (default
 * {@code ~/.cache/taintwatch/anvil/<version>}); {@code TAINTWATCH_ANVIL=/path/to/anvil} skips the install.
 * The process is killed (with any children) on {@link #close()} and by a JVM shutdown hook.
 */
public final class Anvil implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Anvil.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Listening on ([^\\s:]+):(\\d+)");
    private static final Pattern ACCOUNT_LINE = Pattern.compile("^\\((\\d+)\\)\\s+(0x[0-9a-fA-F]{40})\\b.*");
    private static final Pattern KEY_LINE = Pattern.compile("^\\((\\d+)\\)\\s+(0x[0-9a-fA-F]{64})\\s*$");
    private static final String NO_NODE = "anvil needs Node.js and npm: install them (apt-get install nodejs npm) or set TAINTWATCH_ANVIL=/path/to/anvil";
    private static final Object INSTALL_LOCK = new Object();

    /**
     * A funded dev account: its address (lower-case {@code 0x} hex) and private key; {@link #toString()} leaves the key out.
     * (Strings, not the model's types: this module sits below monitor-core.)
     */
    public record Account(String address, String privateKey) {
        public Account {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(privateKey, "privateKey");
            if (!address.matches("0x[0-9a-fA-F]{40}")) {
                throw new IllegalArgumentException("not an address: " + address);
            }
            address = address.toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return "Account[" + address + "]";
        }
    }

    private final Process process;
    private final String rpcUrl;
    private final int port;
    private final long chainId;
    private final List<Account> accounts;
    private final Thread shutdownHook;
    private final Thread outputPump;
    private final HttpClient http;
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean closed;

    private Anvil(Process process, String host, int port, long chainId, List<Account> accounts, Thread outputPump) {
        this.process = process;
        this.port = port;
        this.rpcUrl = "http://" + host + ":" + port;
        this.chainId = chainId;
        this.accounts = List.copyOf(accounts);
        this.outputPump = outputPump;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.shutdownHook = new Thread(this::kill, "anvil-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts anvil with the defaults: auto-mining, 10 accounts of 10,000 ETH, chain id 31337. */
    public static Anvil start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The pinned {@code @foundry-rs/anvil} npm version. */
    public static String pinnedVersion() {
        Properties p = new Properties();
        try (InputStream in = Anvil.class.getResourceAsStream("anvil.properties")) {
            if (in == null) {
                throw new IllegalStateException("anvil.properties missing from the classpath next to " + Anvil.class.getName());
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read anvil.properties", e);
        }
        String v = p.getProperty("version", "").strip();
        if (v.isEmpty()) {
            throw new IllegalStateException("anvil.properties has no 'version'");
        }
        return v;
    }

    /** The cache root: {@code $TAINTWATCH_CACHE} or {@code ~/.cache/taintwatch}. */
    public static Path cacheRoot() {
        String env = System.getenv("TAINTWATCH_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "taintwatch");
    }

    /**
     * The anvil executable: {@code $TAINTWATCH_ANVIL} if set, otherwise the binary of the pinned npm package,
     * installed into the cache first if it is not there yet (safe against concurrent installs by other JVMs).
     */
    public static Path binary() {
        String override = System.getenv("TAINTWATCH_ANVIL");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p)) {
                throw new AnvilException("TAINTWATCH_ANVIL=" + override + " is not an executable file");
            }
            return p;
        }
        String version = pinnedVersion();
        return install(cacheRoot().resolve("anvil").resolve(version), version, "npm");
    }

    /** Installs {@code @foundry-rs/anvil@version} into {@code dir} with the given npm unless it is there already; returns the binary. */
    static Path install(Path dir, String version, String npm) {
        Path found = findBinary(dir);
        if (found != null) {
            return found;
        }
        synchronized (INSTALL_LOCK) {
            try {
                Files.createDirectories(dir);
                try (FileChannel ch = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    found = findBinary(dir);
                    if (found == null) {
                        npmInstall(npm, dir, version);
                        found = findBinary(dir);
                    }
                }
            } catch (IOException e) {
                throw new AnvilException("cannot install anvil into " + dir + ": " + e.getMessage(), e);
            }
        }
        if (found == null) {
            throw new AnvilException("npm installed @foundry-rs/anvil@" + version + " into " + dir + " but it holds no anvil binary for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (looked for " + candidates(dir) + ")");
        }
        return found;
    }

    /** Where the npm package keeps the binary: a per-platform optional dependency, or {@code dist/} after its postinstall. */
    private static List<Path> candidates(Path dir) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String npmOs = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("win") ? "win32" : "linux";
        String npmArch = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
        String exe = npmOs.equals("win32") ? "anvil.exe" : "anvil";
        Path scope = dir.resolve("node_modules").resolve("@foundry-rs");
        return List.of(scope.resolve("anvil-" + npmOs + "-" + npmArch).resolve("bin").resolve(exe),
                scope.resolve("anvil").resolve("dist").resolve(exe));
    }

    private static Path findBinary(Path dir) {
        for (Path c : candidates(dir)) {
            if (Files.isRegularFile(c)) {
                if (!Files.isExecutable(c) && !c.toFile().setExecutable(true)) {
                    throw new AnvilException(c + " is not executable and its mode cannot be changed");
                }
                return c;
            }
        }
        return null;
    }

    private static void npmInstall(String npm, Path dir, String version) throws IOException {
        List<String> cmd = List.of(npm, "install", "--prefix", dir.toString(), "--no-audit", "--no-fund", "--loglevel=error",
                "@foundry-rs/anvil@" + version);
        log.info("installing anvil {} from npm into {} (first use)", version, dir);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AnvilException(NO_NODE + " (" + e.getMessage() + ")", e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AnvilException("npm install of @foundry-rs/anvil@" + version + " did not finish within 10 minutes");
            }
            String text = out.get(10, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                String hint = p.exitValue() == 127 || text.contains("node: not found") || text.contains("node: No such file") ? NO_NODE + "; " : "";
                throw new AnvilException(hint + "npm install of @foundry-rs/anvil@" + version + " into " + dir + " failed with exit code "
                        + p.exitValue() + ": " + tail(text, 2000));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AnvilException("interrupted while installing anvil", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AnvilException("cannot read the output of npm install", e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s.strip() : "..." + s.substring(s.length() - max).strip();
    }

    /** The JSON-RPC endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public String rpcUrl() {
        return rpcUrl;
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return chainId;
    }

    /** The funded dev accounts, in anvil's order. */
    public List<Account> accounts() {
        return accounts;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * One JSON-RPC call; returns the {@code result} (JSON null as a {@code NullNode}).
     * Parameters are converted by Jackson (strings, numbers, lists, maps, JsonNodes).
     */
    public JsonNode rpc(String method, Object... params) {
        ObjectNode req = JSON.createObjectNode();
        req.put("jsonrpc", "2.0");
        req.put("id", requestIds.incrementAndGet());
        req.put("method", method);
        ArrayNode arr = req.putArray("params");
        for (Object p : params) {
            arr.add(JSON.valueToTree(p));
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(HttpRequest.newBuilder(URI.create(rpcUrl)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(req))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AnvilException(method + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnvilException(method + " interrupted", e);
        }
        if (resp.statusCode() != 200) {
            throw new AnvilException(method + " answered HTTP " + resp.statusCode() + ": " + tail(resp.body(), 500));
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new AnvilException(method + " answered invalid JSON: " + tail(resp.body(), 500), e);
        }
        if (body.hasNonNull("error")) {
            throw new AnvilException(method + " failed: " + body.get("error"));
        }
        return body.path("result");
    }

    /** The head block number. */
    public long blockNumber() {
        return new BigInteger(rpc("eth_blockNumber").asText().substring(2), 16).longValueExact();
    }

    /**
     * The receipt of {@code txHash}, waiting up to 30 s for it to be mined: even with auto-mine, a receipt can lag
     * the hash {@code eth_sendTransaction} returned by a moment.
     */
    public JsonNode receipt(String txHash) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode r = rpc("eth_getTransactionReceipt", txHash);
            if (!r.isNull() && !r.isMissingNode()) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AnvilException("no receipt for " + txHash + " within 30 s (not mined: is mining off?)");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AnvilException("interrupted while waiting for the receipt of " + txHash, e);
            }
        }
    }

    /** Mines one block now ({@code evm_mine}), whatever the mining mode. */
    public void mine() {
        rpc("evm_mine");
    }

    /** Mines {@code n} blocks at once ({@code anvil_mine}). */
    public void mine(int n) {
        rpc("anvil_mine", "0x" + Integer.toHexString(n));
    }

    /** Replaces the last {@code depth} blocks with as many empty ones ({@code anvil_reorg}); their transactions are dropped. */
    public void reorg(int depth) {
        rpc("anvil_reorg", depth, List.of());
    }

    /** Kills the node (and any children) and waits for it to be gone. Idempotent. */
    @Override
    public void close() {
        kill();
        http.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private synchronized void kill() {
        if (closed) {
            return;
        }
        closed = true;
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> children = handle.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                log.warn("anvil (pid {}) ignored SIGTERM for 5 s; killing it", process.pid());
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle c : children) {
                if (c.isAlive()) {
                    c.destroyForcibly();
                }
            }
            outputPump.join(2000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        log.debug("anvil (pid {}) on port {} stopped", process.pid(), port);
    }

    @Override
    public String toString() {
        return "Anvil[" + rpcUrl + ", pid " + process.pid() + "]";
    }

    /** Failure to install, start or talk to anvil. */
    public static final class AnvilException extends RuntimeException {
        public AnvilException(String message) {
            super(message);
        }

        public AnvilException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Options for {@link Anvil}; the defaults mine a block per transaction (auto-mine). */
    public static final class Builder {
        private Duration blockTime;
        private boolean noMining;
        private int accounts = 10;
        private long balanceEth = 10_000;
        private long chainId = 31337;
        private boolean stepsTracing;
        private Long gasLimit;
        private final List<String> extraArgs = new ArrayList<>();
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Interval mining: a block every {@code blockTime} (millisecond precision), instead of one per transaction. */
        public Builder blockTime(Duration blockTime) {
            if (blockTime.isNegative() || blockTime.isZero()) {
                throw new IllegalArgumentException("block time must be positive, got " + blockTime);
            }
            this.blockTime = blockTime;
            this.noMining = false;
            return this;
        }

        /** Auto-mine: one block per transaction, as soon as it arrives (the default). */
        public Builder autoMine() {
            this.blockTime = null;
            this.noMining = false;
            return this;
        }

        /** No mining at all until {@code evm_mine} / {@link Anvil#mine()} is called. */
        public Builder noMining() {
            this.blockTime = null;
            this.noMining = true;
            return this;
        }

        public Builder accounts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("accounts must be >= 1, got " + n);
            }
            this.accounts = n;
            return this;
        }

        /** Balance of each dev account, in whole ETH. */
        public Builder balanceEth(long eth) {
            if (eth < 0) {
                throw new IllegalArgumentException("balance must be >= 0, got " + eth);
            }
            this.balanceEth = eth;
            return this;
        }

        public Builder chainId(long id) {
            if (id < 1) {
                throw new IllegalArgumentException("chain id must be >= 1, got " + id);
            }
            this.chainId = id;
            return this;
        }

        /** {@code --steps-tracing}: opcode-level traces (structLogs); callTracer and trace_block work without it. */
        public Builder stepsTracing(boolean on) {
            this.stepsTracing = on;
            return this;
        }

        public Builder gasLimit(long gas) {
            this.gasLimit = gas;
            return this;
        }

        /** More command-line arguments, passed as they are. */
        public Builder extraArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        List<String> command(Path binary) {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port", "0",
                    "--accounts", Integer.toString(accounts), "--balance", Long.toString(balanceEth),
                    "--chain-id", Long.toString(chainId)));
            if (blockTime != null) {
                cmd.add("--block-time");
                cmd.add(BigDecimal.valueOf(blockTime.toMillis(), 3).stripTrailingZeros().toPlainString());
            } else if (noMining) {
                cmd.add("--no-mining");
            }
            if (stepsTracing) {
                cmd.add("--steps-tracing");
            }
            if (gasLimit != null) {
                cmd.add("--gas-limit");
                cmd.add(Long.toString(gasLimit));
            }
            cmd.addAll(extraArgs);
            return cmd;
        }

        /** Installs anvil if needed, starts it and waits until it answers {@code eth_chainId}. */
        public Anvil start() {
            List<String> cmd = command(binary());
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AnvilException("cannot start " + cmd.getFirst() + ": " + e.getMessage(), e);
            }
            OutputPump pump = new OutputPump(p);
            Thread t = Thread.ofPlatform().daemon().name("anvil-" + p.pid() + "-out").start(pump);
            Anvil anvil = null;
            try {
                int port = pump.listening.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
                List<Account> accs = pump.accounts();
                if (accs.size() != accounts) {
                    throw new AnvilException("anvil printed " + accs.size() + " dev accounts with keys, expected " + accounts
                            + "; last output:\n" + pump.lastLines());
                }
                anvil = new Anvil(p, "127.0.0.1", port, chainId, accs, t);
                awaitChainId(anvil);
                log.info("anvil {} started: {} (pid {}, {} accounts, {})", pinnedVersionOrOverride(), anvil.rpcUrl(), p.pid(), accounts,
                        blockTime != null ? "block time " + blockTime : noMining ? "no mining" : "auto-mine");
                return anvil;
            } catch (ExecutionException e) {
                destroy(p, anvil);
                throw new AnvilException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                destroy(p, anvil);
                throw new AnvilException("anvil did not start listening within " + startupTimeout + "; last output:\n" + pump.lastLines());
            } catch (InterruptedException e) {
                destroy(p, anvil);
                Thread.currentThread().interrupt();
                throw new AnvilException("interrupted while starting anvil", e);
            } catch (RuntimeException e) {
                destroy(p, anvil);
                throw e;
            }
        }

        private static String pinnedVersionOrOverride() {
            String o = System.getenv("TAINTWATCH_ANVIL");
            return o != null && !o.isBlank() ? "(" + o + ")" : pinnedVersion();
        }

        private static void destroy(Process p, Anvil anvil) {
            if (anvil != null) {
                anvil.close();
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }

        private void awaitChainId(Anvil anvil) throws InterruptedException {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            AnvilException last = null;
            while (System.nanoTime() < deadline) {
                if (!anvil.isAlive()) {
                    throw new AnvilException("anvil exited with code " + anvil.process.exitValue() + " during start");
                }
                try {
                    long id = new BigInteger(anvil.rpc("eth_chainId").asText().substring(2), 16).longValueExact();
                    if (id != chainId) {
                        throw new AnvilException("anvil answers chain id " + id + ", expected " + chainId);
                    }
                    return;
                } catch (AnvilException e) {
                    if (e.getMessage().startsWith("anvil answers")) {
                        throw e;
                    }
                    last = e;
                    Thread.sleep(50);
                }
            }
            throw new AnvilException("anvil did not answer eth_chainId within " + startupTimeout, last);
        }
    }

    /** Drains anvil's output (so the pipe never fills), reads the banner and logs the rest at debug level. */
    private static final class OutputPump implements Runnable {
        final CompletableFuture<Integer> listening = new CompletableFuture<>();
        private final Process process;
        private final Map<Integer, String> addresses = new TreeMap<>();
        private final Map<Integer, String> keys = new TreeMap<>();
        private final Deque<String> last = new ArrayDeque<>();
        private String section = "";

        OutputPump(Process process) {
            this.process = process;
        }

        synchronized List<Account> accounts() {
            List<Account> out = new ArrayList<>();
            for (Map.Entry<Integer, String> e : addresses.entrySet()) {
                String k = keys.get(e.getKey());
                if (k != null) {
                    out.add(new Account(e.getValue(), k));
                }
            }
            return out;
        }

        synchronized String lastLines() {
            return String.join("\n", last);
        }

        @Override
        public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!listening.isDone()) {
                        banner(line);
                    } else if (log.isDebugEnabled()) {
                        log.debug("anvil[{}] {}", process.pid(), line);
                    }
                }
            } catch (IOException e) {
                log.debug("anvil[{}] output closed: {}", process.pid(), e.getMessage());
            } finally {
                if (!listening.isDone()) {
                    String exit;
                    try {
                        exit = process.waitFor(2, TimeUnit.SECONDS) ? "exited with code " + process.exitValue() : "closed its output";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        exit = "closed its output";
                    }
                    listening.completeExceptionally(new AnvilException("anvil " + exit + " before listening; last output:\n" + lastLines()));
                }
            }
        }

        private synchronized void banner(String line) {
            // keep recent lines for error messages, without the private keys
            last.addLast(KEY_LINE.matcher(line.strip()).matches() ? "(private key)" : line);
            if (last.size() > 40) {
                last.removeFirst();
            }
            String s = line.strip();
            if (s.equals("Available Accounts") || s.equals("Private Keys") || s.equals("Wallet")) {
                section = s;
                return;
            }
            Matcher m;
            if (section.equals("Available Accounts") && (m = ACCOUNT_LINE.matcher(s)).matches()) {
                addresses.put(Integer.parseInt(m.group(1)), m.group(2));
            } else if (section.equals("Private Keys") && (m = KEY_LINE.matcher(s)).matches()) {
                keys.put(Integer.parseInt(m.group(1)), m.group(2));
            } else if ((m = LISTENING.matcher(s)).find()) {
                listening.complete(Integer.parseInt(m.group(2)));
            }
        }
    }
}
