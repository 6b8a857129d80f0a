package io.taintwatch.ingest.source.tron;

import io.taintwatch.ingest.evm.AssembledBlock;
import io.taintwatch.ingest.evm.BlockAssembler;
import io.taintwatch.ingest.evm.BlockHeader;
import io.taintwatch.ingest.evm.EvmLog;
import io.taintwatch.ingest.evm.EvmTx;
import io.taintwatch.ingest.evm.InternalTransfer;
import io.taintwatch.ingest.evm.LogDecoder;
import io.taintwatch.ingest.evm.TokenMove;
import io.taintwatch.ingest.source.etl.ExportFormatException;
import io.taintwatch.input.CsvInput;
import io.taintwatch.input.InputLimits;
import io.taintwatch.input.Inputs;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.ChainKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.LegKind;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocks from a <a href="https://github.com/c0mm4nd/tronetl">tronetl</a> export: the CSV files that tool writes in
 * ethereum-etl's layout plus Tron's columns, addresses as {@code T...}. Tables, found by name ({@code <table>.csv}, optionally
 * {@code .gz}): {@code blocks} (hash, parent hash, time), {@code transactions} (owner, receiver, {@code value},
 * {@code transaction_type}, {@code status}), {@code receipts} ({@code energy_fee + net_fee}: the fee), {@code logs}
 * (preferred: every event decoded) or {@code token_transfers} (TRC-20 only), {@code internal_transactions}. The legs follow
 * the node source's rules ({@link TronBlockExtractor}): {@code value} is TRX only for {@code TransferContract},
 * {@code TriggerSmartContract} and {@code CreateSmartContract} (tronetl copies java-tron's JSON-RPC, whose {@code value} of a
 * TRC-10 transfer is the TRC-10 amount). What a missing table costs is logged once; errors name file, line and column.
 */
public final class TronEtlExport {
    private static final Logger log = LoggerFactory.getLogger(TronEtlExport.class);
    private static final Set<String> TRX_TYPES = Set.of(WalletBlock.TRANSFER, WalletBlock.TRIGGER, WalletBlock.CREATE);

    private final Path dir;
    private final ChainId chain;
    private final BlockAssembler assembler;
    private final Long fromBlock;
    private final Long toBlock;

    public TronEtlExport(Path dir, ChainId chain, Set<Address> wrappedNative, Long fromBlock, Long toBlock) {
        if (chain.kind() != ChainKind.TRON) {
            throw new IllegalArgumentException("chain " + chain.name() + " is not a tron chain");
        }
        this.dir = dir;
        this.chain = chain;
        this.assembler = new BlockAssembler(chain, new LogDecoder(wrappedNative));
        this.fromBlock = fromBlock;
        this.toBlock = toBlock;
    }

    /** The tables this export holds, by name. */
    private Map<String, Path> tables() throws IOException {
        Map<String, Path> m = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                for (String t : List.of("blocks", "transactions", "receipts", "logs", "token_transfers", "internal_transactions")) {
                    if (n.equals(t + ".csv") || n.equals(t + ".csv.gz")) {
                        m.put(t, f);
                    }
                }
            }
        }
        return m;
    }

    private static final class BlockParts {
        Hash32 hash = Hash32.ZERO;
        Hash32 parent = Hash32.ZERO;
        long timestamp;
        final Map<Integer, EvmTx> txs = new TreeMap<>();
        final List<EvmLog> logs = new ArrayList<>();
        final List<TokenMove> moves = new ArrayList<>();
        final List<InternalTransfer> internals = new ArrayList<>();
    }

    /** Reads the export and hands each block of the range, in order, to {@code sink} (empty blocks included). */
    public void forEachBlock(Consumer<AssembledBlock> sink) throws IOException {
        Map<String, Path> tables = tables();
        if (!tables.containsKey("transactions") && !tables.containsKey("token_transfers") && !tables.containsKey("logs")) {
            throw new ExportFormatException(dir + ": no tronetl transactions, logs or token_transfers file (" + List.of("blocks", "transactions",
                "receipts", "logs", "token_transfers", "internal_transactions") + " .csv[.gz])", null);
        }
        for (String missing : List.of("blocks", "transactions", "receipts", "internal_transactions")) {
            if (!tables.containsKey(missing)) {
                log.warn("tronetl export {}: no {} file: {}", dir, missing, switch (missing) {
                    case "blocks" -> "block hashes and times are unknown";
                    case "transactions" -> "no TRX transfers or fees, and failed transactions cannot be told apart";
                    case "receipts" -> "no fee legs";
                    default -> "no internal TRX transfers";
                });
            }
        }
        TreeMap<Long, BlockParts> blocks = new TreeMap<>();
        Map<Hash32, long[]> txAt = new HashMap<>();
        Map<Hash32, String[]> txRow = new HashMap<>();
        if (tables.containsKey("blocks")) {
            read(tables.get("blocks"), row -> {
                long n = row.number("number");
                if (inRange(n)) {
                    BlockParts p = blocks.computeIfAbsent(n, k -> new BlockParts());
                    p.hash = row.hash("hash");
                    p.parent = row.hash("parent_hash");
                    p.timestamp = row.number("timestamp");
                }
            });
        }
        Map<Hash32, BigInteger> fees = new HashMap<>();
        Map<Hash32, Boolean> success = new HashMap<>();
        if (tables.containsKey("receipts")) {
            read(tables.get("receipts"), row -> {
                if (inRange(row.number("block_number"))) {
                    Hash32 h = row.hash("transaction_hash");
                    fees.put(h, row.big("energy_fee").add(row.big("net_fee")));
                    success.put(h, !"REVERT".equalsIgnoreCase(row.text("result")) && !"FAILED".equalsIgnoreCase(row.text("result"))
                        && !row.text("result").startsWith("OUT_OF"));
                }
            });
        }
        long[] trc10WithoutId = {0};
        if (tables.containsKey("transactions")) {
            read(tables.get("transactions"), row -> {
                long n = row.number("block_number");
                if (!inRange(n)) {
                    return;
                }
                Hash32 h = row.hash("hash");
                int index = (int) row.number("transaction_index");
                String type = row.text("transaction_type");
                String status = row.optText("status");
                Boolean ok = status == null || status.isEmpty() ? success.get(h) : (Boolean) "SUCCESS".equalsIgnoreCase(status);
                BigInteger value = TRX_TYPES.contains(type) ? row.big("value") : BigInteger.ZERO;
                if (WalletBlock.TRANSFER_ASSET.equals(type) && !Boolean.FALSE.equals(ok)) {
                    trc10WithoutId[0]++;
                }
                BigInteger fee = fees.get(h);
                blocks.computeIfAbsent(n, k -> new BlockParts()).txs.put(index, new EvmTx(index, h, row.address("from_address"),
                    row.optAddress("to_address"), value, ok, null, fee, fee == null ? null : BigInteger.ONE, null, null));
                txAt.put(h, new long[] {n, index});
            });
        }
        if (tables.containsKey("logs")) {
            read(tables.get("logs"), row -> {
                long n = row.number("block_number");
                if (!inRange(n)) {
                    return;
                }
                Hash32 h = row.hash("transaction_hash");
                List<Hash32> topics = new ArrayList<>();
                for (String t : row.text("topics").split(";")) {
                    if (!t.isBlank()) {
                        topics.add(Hash32.parse(t.strip()));
                    }
                }
                blocks.computeIfAbsent(n, k -> new BlockParts()).logs.add(new EvmLog(txIndex(txAt, h), h, (int) row.number("log_index"),
                    row.address("address"), topics, Hex.decode(row.text("data"))));
            });
        } else if (tables.containsKey("token_transfers")) {
            read(tables.get("token_transfers"), row -> {
                long n = row.number("block_number");
                if (inRange(n)) {
                    Hash32 h = row.hash("transaction_hash");
                    blocks.computeIfAbsent(n, k -> new BlockParts()).moves.add(new TokenMove(txIndex(txAt, h), h, (int) row.number("log_index"), 0,
                        LegKind.ERC20, Asset.token(row.address("token_address")), row.address("from_address"), row.address("to_address"),
                        row.big("value")));
                }
            });
        }
        if (tables.containsKey("internal_transactions")) {
            read(tables.get("internal_transactions"), row -> {
                long n = row.number("block_number");
                BigInteger v = row.big("call_value");
                String token = row.optText("call_token_id");
                if (!inRange(n) || "true".equalsIgnoreCase(row.text("rejected")) || v.signum() <= 0) {
                    return;
                }
                Asset asset = Asset.NATIVE;
                if (token != null && !token.isEmpty()) {
                    try {
                        asset = TronJson.trc10(token, "call_token_id", "internal transaction");
                    } catch (IllegalArgumentException e) {
                        throw row.error("call_token_id", e.getMessage());
                    }
                }
                Hash32 h = row.hash("transaction_hash");
                int index = txIndex(txAt, h);
                if (index < 0) {
                    throw row.error("transaction_hash", "internal transaction of " + h + ", which is not in transactions");
                }
                blocks.computeIfAbsent(n, k -> new BlockParts()).internals.add(new InternalTransfer(index, h, row.text("internal_index"),
                    "call", row.address("caller_address"), row.address("transferTo_address"), v, asset));
            });
        }
        if (trc10WithoutId[0] > 0) {
            // tronetl's transactions table has the TRC-10 amount (value) but not the token id, and the asset needs it
            log.warn("tronetl export {}: {} TRC-10 transfers (TransferAssetContract) are not legs: the export has no token id for them",
                dir, trc10WithoutId[0]);
        }
        long first = fromBlock != null ? fromBlock : blocks.isEmpty() ? 0 : blocks.firstKey();
        long last = toBlock != null ? toBlock : blocks.isEmpty() ? -1 : blocks.lastKey();
        for (long n = first; n <= last; n++) {
            BlockParts p = blocks.getOrDefault(n, new BlockParts());
            p.internals.sort(java.util.Comparator.comparingInt(InternalTransfer::txIndex)
                .thenComparingInt(t -> Integer.parseInt(t.traceAddress())));
            BlockHeader header = new BlockHeader(n, p.hash, p.parent, p.timestamp, null, BigInteger.ONE);
            sink.accept(assembler.assemble(header, new ArrayList<>(p.txs.values()), p.logs, p.moves, p.internals, null));
        }
    }

    private static int txIndex(Map<Hash32, long[]> txAt, Hash32 h) {
        long[] at = txAt.get(h);
        return at == null ? -1 : (int) at[1];
    }

    private boolean inRange(long n) {
        return (fromBlock == null || n >= fromBlock) && (toBlock == null || n <= toBlock);
    }

    /** One CSV row with its file and line, for errors that name both. */
    private record Row(String file, long line, Map<String, String> values) {
        String optText(String column) {
            String v = values.get(column);
            return v == null ? null : v.strip();
        }

        String text(String column) {
            String v = optText(column);
            if (v == null) {
                throw error(column, "column is missing");
            }
            return v;
        }

        long number(String column) {
            try {
                return Long.parseLong(text(column));
            } catch (NumberFormatException e) {
                throw error(column, "not a whole number: '" + Hex.abbreviate(text(column)) + "'");
            }
        }

        BigInteger big(String column) {
            String v = text(column);
            try {
                return v.isEmpty() ? BigInteger.ZERO : new BigInteger(v);
            } catch (NumberFormatException e) {
                throw error(column, "not a whole number: '" + Hex.abbreviate(v) + "'");
            }
        }

        Hash32 hash(String column) {
            try {
                return Hash32.parse(text(column));
            } catch (IllegalArgumentException e) {
                throw error(column, e.getMessage());
            }
        }

        Address optAddress(String column) {
            String v = optText(column);
            return v == null || v.isEmpty() ? null : address(column);
        }

        Address address(String column) {
            try {
                return Address.parse(text(column));
            } catch (IllegalArgumentException e) {
                throw error(column, e.getMessage());
            }
        }

        ExportFormatException error(String column, String reason) {
            return new ExportFormatException(file + " line " + line + ": column '" + column + "': " + reason, null);
        }
    }

    private interface RowHandler {
        void accept(Row row);
    }

    private static void read(Path file, RowHandler handler) throws IOException {
        String name = Inputs.displayName(file);
        try (InputStream in = Inputs.open(file, InputLimits.EXPORTS);
             CsvInput csv = new CsvInput(Inputs.utf8(in), name, InputLimits.EXPORTS, false)) {
            CsvInput.Row header = csv.next();
            if (header == null) {
                throw new ExportFormatException(name + " line 1: no header row", null);
            }
            CsvInput.Row row;
            while ((row = csv.next()) != null) {
                Map<String, String> values = new HashMap<>();
                for (int i = 0; i < header.fields().size(); i++) {
                    values.put(header.get(i).strip(), row.get(i));
                }
                handler.accept(new Row(name, row.line(), values));
            }
        }
    }
}
