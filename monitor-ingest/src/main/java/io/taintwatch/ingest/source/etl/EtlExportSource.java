package io.taintwatch.ingest.source.etl;

import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.evm.BlockAssembler;
import io.taintwatch.ingest.evm.BlockHeader;
import io.taintwatch.ingest.evm.EvmLog;
import io.taintwatch.ingest.evm.EvmTx;
import io.taintwatch.ingest.evm.ExtractionStats;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.LogDecoder;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.ingest.evm.TokenMove;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.LegKind;
import io.taintwatch.tokens.Token;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an ethereum-etl / BigQuery {@code crypto_ethereum} export directory ({@code blocks}, {@code transactions},
 * {@code receipts}, {@code logs}, {@code token_transfers}, {@code traces}; CSV or JSON lines, gz accepted, columns
 * found by header name) into the same block records the RPC source makes, legs ordered by block, transaction index
 * and sub-index. Only {@code token_transfers} is enough; every missing table reduces what is extracted, and
 * {@link #coverage()} says how. The whole export is held in memory while it is grouped by block. The {@code tokens}
 * table, when present, gives the tokens' metadata ({@link #tokens()}).
 */
public final class EtlExportSource {
    private static final Logger log = LoggerFactory.getLogger(EtlExportSource.class);

    /**
     * Chain, the WETH contracts whose Deposit/Withdrawal logs are legs, and optionally the block range the export
     * covers (null: from its first to its last block). Rows outside the range are ignored.
     */
    public record Options(ChainId chain, Set<Address> wethContracts, Long fromBlock, Long toBlock) {
        public Options(ChainId chain, Set<Address> wethContracts) {
            this(chain, wethContracts, null, null);
        }
    }

    private final Options options;
    private final Map<ExportTable, List<Path>> files;
    private final ExtractionStats stats = new ExtractionStats();
    private ExportCoverage coverage;

    private EtlExportSource(Options options, Map<ExportTable, List<Path>> files) {
        this.options = options;
        this.files = files;
    }

    /** Finds the export files in {@code dir} (and in sub-directories named after a table, for BigQuery shards). */
    public static EtlExportSource open(Path dir, Options options) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("export directory " + dir + " does not exist or is not a directory");
        }
        Map<ExportTable, List<Path>> files = new EnumMap<>(ExportTable.class);
        try (Stream<Path> s = Files.walk(dir, 2)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                ExportTable t = ExportTable.of(p);
                String name = p.getFileName().toString();
                if (t == null && !p.getParent().equals(dir) && (name.contains(".csv") || name.contains(".json"))) {
                    t = tableOfDirectory(p.getParent().getFileName().toString()); // BigQuery shards in a <table>/ folder
                }
                if (t != null) {
                    files.computeIfAbsent(t, k -> new ArrayList<>()).add(p);
                }
            }
        }
        if (!files.containsKey(ExportTable.TOKEN_TRANSFERS) && !files.containsKey(ExportTable.LOGS)
            && !files.containsKey(ExportTable.TRANSACTIONS) && !files.containsKey(ExportTable.TRACES)) {
            throw new IOException("no export files in " + dir + ": expected at least one of transactions, logs, token_transfers or traces "
                + "(.csv or .json lines, optionally .gz)");
        }
        return new EtlExportSource(options, files);
    }

    private static ExportTable tableOfDirectory(String name) {
        for (ExportTable t : ExportTable.values()) {
            if (t.fileName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Which tables were found and what is not extracted because of the missing ones (known after reading). */
    public ExportCoverage coverage() {
        return coverage;
    }

    public Map<ExportTable, List<Path>> files() {
        return Map.copyOf(files);
    }

    /** Counters of the last read: legs by kind, malformed logs skipped. */
    public ExtractionStats stats() {
        return stats;
    }

    /**
     * The export's token metadata (ethereum-etl's {@code tokens} table; BigQuery's {@code crypto_ethereum.tokens} has the
     * same columns: {@code address,symbol,name,decimals,total_supply,block_number}) as tokens observed on the chain, in
     * address order; empty without that table. A malformed address is an {@link ExportFormatException} naming file and
     * line; decimals that are not a number in 0..77 (some contracts answer nonsense) are unknown, and logged. Of several
     * rows of one address the one with the highest {@code block_number} wins (on a tie, the later row).
     */
    public List<Token> tokens() throws IOException {
        TreeMap<Address, Token> byAddress = new TreeMap<>();
        Map<Address, Long> seenAt = new HashMap<>();
        read(ExportTable.TOKENS, r -> {
            Address a = address(r, "address");
            if (a == null) {
                throw new ExportFormatException(r.where() + ": column 'address' is missing or empty", null);
            }
            String bn = r.get("block_number");
            long at = bn == null ? -1 : parse(r, "block_number", () -> toBig(bn).longValueExact());
            Long prev = seenAt.get(a);
            if (prev != null && prev > at) {
                return;
            }
            seenAt.put(a, at);
            byAddress.put(a, Token.observed(options.chain(), a, r.get("symbol"), r.get("name"), decimals(r), "etl:tokens"));
        });
        return List.copyOf(byAddress.values());
    }

    private static Integer decimals(ExportRow r) {
        String v = r.get("decimals");
        if (v == null) {
            return null;
        }
        try {
            BigInteger d = toBig(v);
            if (d.signum() >= 0 && d.compareTo(BigInteger.valueOf(77)) <= 0) {
                return d.intValue();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // reported below
        }
        log.warn("{}: decimals '{}' are not a number in 0..77; the token's decimals are unknown", r.where(), v);
        return null;
    }

    public List<AssembledBlock> readAll() throws IOException {
        List<AssembledBlock> out = new ArrayList<>();
        forEachBlock(out::add);
        return out;
    }

    /** Reads every file and hands over the block records in block order. */
    public void forEachBlock(Consumer<AssembledBlock> sink) throws IOException {
        TreeMap<Long, Parts> blocks = new TreeMap<>();
        Map<Hash32, Receipt> receipts = new HashMap<>();
        boolean[] receiptStatus = {false};
        read(ExportTable.BLOCKS, r -> {
            long n = longOf(r, "number");
            Parts p = parts(blocks, n);
            p.header = new BlockHeader(n, hash(r, "hash"), hash(r, "parent_hash"), timestamp(r, "timestamp"),
                address(r, "miner"), optBig(r, "base_fee_per_gas"));
        });
        read(ExportTable.RECEIPTS, r -> {
            Receipt rc = new Receipt(status(r, "status"), optBig(r, "gas_used"), optBig(r, "effective_gas_price"), address(r, "contract_address"));
            receipts.put(hash(r, "transaction_hash"), rc);
            if (rc.success != null) {
                receiptStatus[0] = true;
            }
        });
        read(ExportTable.TRANSACTIONS, r -> {
            Parts p = parts(blocks, longOf(r, "block_number"));
            Tx tx = new Tx();
            tx.index = (int) longOf(r, "transaction_index");
            tx.hash = hash(r, "hash");
            tx.from = address(r, "from_address");
            tx.to = address(r, "to_address");
            tx.value = big(r, "value");
            tx.success = status(r, "receipt_status");
            tx.gasUsed = optBig(r, "receipt_gas_used");
            tx.gasPrice = optBig(r, "receipt_effective_gas_price");
            if (tx.gasPrice == null) {
                tx.gasPrice = optBig(r, "gas_price");
            }
            tx.created = address(r, "receipt_contract_address");
            if (tx.success != null) {
                receiptStatus[0] = true;
            }
            p.txs.add(tx);
        });
        boolean haveLogs = files.containsKey(ExportTable.LOGS);
        if (haveLogs) {
            read(ExportTable.LOGS, r -> {
                Parts p = parts(blocks, longOf(r, "block_number"));
                List<Hash32> topics = new ArrayList<>();
                for (String t : r.list("topics")) {
                    topics.add(parse(r, "topics", () -> Hash32.parse(t)));
                }
                String data = r.get("data");
                p.logs.add(new EvmLog(r.get("transaction_index") == null ? -1 : (int) longOf(r, "transaction_index"),
                    hash(r, "transaction_hash"), (int) longOf(r, "log_index"), address(r, "address"), topics,
                    data == null ? new byte[0] : parse(r, "data", () -> Hex.decode(data))));
            });
        } else {
            read(ExportTable.TOKEN_TRANSFERS, r -> {
                Parts p = parts(blocks, longOf(r, "block_number"));
                p.transfers.add(new TokenMove(-1, hash(r, "transaction_hash"), (int) longOf(r, "log_index"), 0, LegKind.ERC20,
                    Asset.token(address(r, "token_address")), address(r, "from_address"), address(r, "to_address"), big(r, "value")));
            });
        }
        read(ExportTable.TRACES, r -> {
            String type = r.get("trace_type");
            String traceAddress = r.get("trace_address");
            BigInteger value = optBig(r, "value");
            String callType = r.get("call_type");
            boolean moves = ("call".equals(type) && (callType == null || "call".equals(callType))) || "create".equals(type) || "suicide".equals(type);
            boolean ok = r.get("status") == null ? r.get("error") == null : "1".equals(r.get("status"));
            if ("reward".equals(type)) {
                stats.skippedTraceFrame();
            }
            if (moves && ok && traceAddress != null && value != null && value.signum() > 0) {
                Parts p = parts(blocks, longOf(r, "block_number"));
                p.internals.add(new InternalTransfer((int) longOf(r, "transaction_index"), hash(r, "transaction_hash"),
                    String.join(".", ExportFile.split(traceAddress)), type.toUpperCase(java.util.Locale.ROOT),
                    address(r, "from_address"), address(r, "to_address"), value));
            }
        });
        coverage = ExportCoverage.of(EnumSet.copyOf(files.keySet().isEmpty() ? Set.of(ExportTable.TOKEN_TRANSFERS) : files.keySet()), receiptStatus[0]);
        for (String l : coverage.limitations()) {
            log.warn("export {}: {}", options.chain().name(), l);
        }

        if (options.fromBlock() != null) {
            blocks.headMap(options.fromBlock()).clear();
        }
        if (options.toBlock() != null) {
            blocks.tailMap(options.toBlock(), false).clear();
        }
        fillGaps(blocks);
        BlockAssembler assembler = new BlockAssembler(options.chain(), new LogDecoder(options.wethContracts()));
        for (Parts p : blocks.values()) {
            BlockHeader h = p.header != null ? p.header : BlockHeader.unknown(p.number);
            List<EvmTx> txs = new ArrayList<>(p.txs.size());
            for (Tx t : p.txs) {
                Receipt rc = receipts.get(t.hash);
                Boolean success = rc != null && rc.success != null ? rc.success : t.success;
                BigInteger gasUsed = rc != null && rc.gasUsed != null ? rc.gasUsed : t.gasUsed;
                BigInteger price = rc != null && rc.effectivePrice != null ? rc.effectivePrice : t.gasPrice;
                Address created = rc != null && rc.created != null ? rc.created : t.created;
                boolean fees = h.isKnown() && success != null && gasUsed != null && price != null;
                txs.add(new EvmTx(t.index, t.hash, t.from, t.to, t.value, success, created, fees ? gasUsed : null, fees ? price : null, null, null));
            }
            List<EvmLog> logs = p.logs;
            if (!logs.isEmpty() && logs.stream().anyMatch(l -> l.txIndex() < 0)) {
                throw new ExportFormatException("block " + p.number + ": logs export without transaction_index", null);
            }
            AssembledBlock a = assembler.assemble(h, txs, logs, p.transfers, p.internals.isEmpty() ? null : p.internals, null);
            stats.add(a.stats());
            sink.accept(a);
        }
    }

    /**
     * An export covers a contiguous range: a block with no rows (nothing moved) still gets its (empty) record, so
     * that consumers see every block of the range.
     */
    private void fillGaps(TreeMap<Long, Parts> blocks) {
        if (blocks.isEmpty() && (options.fromBlock() == null || options.toBlock() == null)) {
            return;
        }
        long first = options.fromBlock() != null ? options.fromBlock() : blocks.firstKey();
        long last = options.toBlock() != null ? options.toBlock() : blocks.lastKey();
        long missing = 0;
        for (long n = first; n <= last; n++) {
            if (!blocks.containsKey(n)) {
                blocks.put(n, new Parts(n));
                missing++;
            }
        }
        if (missing > 0 && files.containsKey(ExportTable.BLOCKS)) {
            log.warn("export {}: {} blocks of {}..{} are missing from the blocks file; they are published empty with unknown hashes",
                options.chain().name(), missing, first, last);
        } else if (missing > 0) {
            log.info("export {}: {} blocks of {}..{} have no rows; published as empty records", options.chain().name(), missing, first, last);
        }
    }

    private void read(ExportTable table, Consumer<ExportRow> sink) throws IOException {
        for (Path p : files.getOrDefault(table, List.of())) {
            log.info("reading {} export {}", table.fileName(), p);
            ExportFile.forEach(p, sink);
        }
    }

    private static Parts parts(TreeMap<Long, Parts> blocks, long n) {
        return blocks.computeIfAbsent(n, Parts::new);
    }

    private static <T> T parse(ExportRow r, String column, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (RuntimeException e) {
            throw new ExportFormatException(r.where() + ": column '" + column + "': " + e.getMessage(), e);
        }
    }

    private static String required(ExportRow r, String column) {
        String v = r.get(column);
        if (v == null) {
            throw new ExportFormatException(r.where() + ": column '" + column + "' is missing or empty", null);
        }
        return v;
    }

    private static long longOf(ExportRow r, String column) {
        String v = required(r, column);
        return parse(r, column, () -> toBig(v).longValueExact());
    }

    private static BigInteger big(ExportRow r, String column) {
        String v = required(r, column);
        return parse(r, column, () -> toBig(v));
    }

    private static BigInteger optBig(ExportRow r, String column) {
        String v = r.get(column);
        return v == null ? null : parse(r, column, () -> toBig(v));
    }

    /** Decimal (BigQuery NUMERIC may print "123.0" or an exponent) or 0x-hex. */
    static BigInteger toBig(String v) {
        if (v.startsWith("0x") || v.startsWith("0X")) {
            return Quantity.big(v);
        }
        try {
            return new BigInteger(v);
        } catch (NumberFormatException e) {
            return new BigDecimal(v).toBigIntegerExact();
        }
    }

    private static Hash32 hash(ExportRow r, String column) {
        String v = required(r, column);
        return parse(r, column, () -> Hash32.parse(v));
    }

    private static Address address(ExportRow r, String column) {
        String v = r.get(column);
        // exports write lower-case hex; decoding directly skips Address.parse's case analysis (hot in large imports)
        return v == null ? null : parse(r, column, () -> {
            if (v.length() != 42 || !v.startsWith("0x")) {
                throw new IllegalArgumentException("expected 0x + 40 hex digits, got '" + (v.length() > 50 ? v.substring(0, 50) + "..." : v) + "'");
            }
            return Address.of(Hex.decode(v));
        });
    }

    private static Boolean status(ExportRow r, String column) {
        String v = r.get(column);
        return v == null ? null : parse(r, column, () -> toBig(v).signum() != 0);
    }

    /** Unix seconds, or a BigQuery / ISO timestamp ({@code 2021-06-08 12:00:00 UTC}). */
    private static long timestamp(ExportRow r, String column) {
        String v = required(r, column);
        return parse(r, column, () -> {
            if (v.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(v);
            }
            String s = v.replace(" UTC", "Z").replace(' ', 'T');
            try {
                return Instant.parse(s.endsWith("Z") || s.contains("+") ? s : s + "Z").getEpochSecond();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(v.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
            }
        });
    }

    private static final class Parts {
        final long number;
        BlockHeader header;
        final List<Tx> txs = new ArrayList<>();
        final List<EvmLog> logs = new ArrayList<>();
        final List<TokenMove> transfers = new ArrayList<>();
        final List<InternalTransfer> internals = new ArrayList<>();

        Parts(long number) {
            this.number = number;
        }
    }

    private static final class Tx {
        int index;
        Hash32 hash;
        Address from;
        Address to;
        BigInteger value;
        Boolean success;
        BigInteger gasUsed;
        BigInteger gasPrice;
        Address created;
    }

    private record Receipt(Boolean success, BigInteger gasUsed, BigInteger effectivePrice, Address created) {}
}
