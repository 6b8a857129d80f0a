package io.taintwatch.embedded.devnet;

import io.taintwatch.embedded.Anvil;
import io.taintwatch.model.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Sends transactions to a dev chain (anvil) with web3j: local signing with managed nonces, JSON-RPC batches of
 * many transactions, waiting for receipts, contract deployment, and explicit mining when automine is off.
 */
public final class Devnet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Devnet.class);
    public static final BigInteger GWEI = BigInteger.TEN.pow(9);
    public static final BigInteger ETHER = BigInteger.TEN.pow(18);
    /** Gas of a plain ETH transfer to an account without code. */
    public static final long TRANSFER_GAS = 21_000;
    /** Gas limit of a call when none is given: ample for every demo contract function. */
    public static final long DEFAULT_CALL_GAS = 400_000;
    private static final int BATCH = 250;
    private static final BigInteger SECP256K1_N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    /** One transaction to sign and send; {@code to == null} creates a contract. */
    public record Tx(Credentials from, Address to, BigInteger value, String data, long gasLimit) {
        public Tx {
            Objects.requireNonNull(from, "from");
            value = value == null ? BigInteger.ZERO : value;
            data = data == null ? "0x" : data;
            if (value.signum() < 0) {
                throw new IllegalArgumentException("negative value " + value);
            }
            if (gasLimit < 0) {
                throw new IllegalArgumentException("negative gas limit " + gasLimit);
            }
        }

        /** ETH to {@code to}; gas 0 means: 21,000 for an account without code, more for a contract. */
        public static Tx transfer(Credentials from, Address to, BigInteger value) {
            return new Tx(from, Objects.requireNonNull(to, "to"), value, "0x", 0);
        }

        public static Tx call(Credentials from, DeployedContract c, BigInteger value, String data) {
            return new Tx(from, c.address(), value, data, DEFAULT_CALL_GAS);
        }

        public static Tx call(Credentials from, DeployedContract c, String data) {
            return call(from, c, BigInteger.ZERO, data);
        }

        @Override
        public String toString() {
            return "Tx[from " + from.getAddress() + " to " + (to == null ? "(create)" : to) + " value " + value + "]";
        }
    }

    private final Web3j web3j;
    private final HttpService service;
    private final long chainId;
    private final List<Credentials> devAccounts;
    private final Map<String, BigInteger> nonces = new HashMap<>();
    private final Map<Address, Boolean> hasCode = new ConcurrentHashMap<>();
    private BigInteger priorityFee = GWEI;
    private boolean manualMining;
    private Duration receiptTimeout = Duration.ofSeconds(60);

    public Devnet(String rpcUrl, long chainId, List<Credentials> devAccounts) {
        // generous timeouts: a node tracing large blocks for an ingest worker answers other calls late
        this.service = new HttpService(rpcUrl, new okhttp3.OkHttpClient.Builder().readTimeout(java.time.Duration.ofSeconds(120))
            .writeTimeout(java.time.Duration.ofSeconds(120)).connectTimeout(java.time.Duration.ofSeconds(10)).build());
        this.web3j = Web3j.build(service);
        this.chainId = chainId;
        this.devAccounts = List.copyOf(devAccounts);
    }

    /** A devnet on a running anvil, with its dev accounts. */
    public static Devnet connect(Anvil anvil) {
        return new Devnet(anvil.rpcUrl(), anvil.chainId(),
                anvil.accounts().stream().map(a -> Credentials.create(a.privateKey())).toList());
    }

    public Web3j web3j() {
        return web3j;
    }

    public long chainId() {
        return chainId;
    }

    /** The node's funded dev accounts (anvil's), in order. */
    public List<Credentials> devAccounts() {
        return devAccounts;
    }

    public static Address address(Credentials c) {
        return Address.parse(c.getAddress());
    }

    /** A key pair derived from a seed, a label and an index: the same inputs give the same account on every run. */
    public static Credentials derive(long seed, String label, int index) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + l.length + 4 + 4);
        int counter = 0;
        while (true) {
            b.clear();
            b.putLong(seed).put(l).putInt(index).putInt(counter++);
            BigInteger k = new BigInteger(1, Hash.sha3(b.array()));
            if (k.signum() > 0 && k.compareTo(SECP256K1_N) < 0) {
                return Credentials.create(ECKeyPair.create(k));
            }
        }
    }

    /** Stops the node mining a block per transaction ({@code evm_setAutomine}); blocks then come from {@link #mine()}. */
    public void manualMining(boolean manual) {
        rpc(new Request<>("evm_setAutomine", List.of(!manual), service, VoidResponse.class), "evm_setAutomine");
        this.manualMining = manual;
    }

    /** Sets the node's automine and, separately, whether this devnet mines blocks itself when waiting for receipts. */
    void restoreMining(boolean nodeAutomine, boolean manual) {
        rpc(new Request<>("evm_setAutomine", List.of(nodeAutomine), service, VoidResponse.class), "evm_setAutomine");
        this.manualMining = manual;
    }

    public boolean isManualMining() {
        return manualMining;
    }

    /** Whether the node mines a block per transaction ({@code anvil_getAutomine}); false with interval or no mining. */
    public boolean nodeAutomines() {
        return rpc(new Request<>("anvil_getAutomine", List.of(), service, AutomineResponse.class), "anvil_getAutomine").getResult();
    }

    /** The boolean result of {@code anvil_getAutomine}. */
    public static final class AutomineResponse extends Response<Boolean> {
    }

    /** Mines one block with what is pending ({@code evm_mine}). */
    public void mine() {
        rpc(new Request<>("evm_mine", List.of(), service, VoidResponse.class), "evm_mine");
    }

    public void priorityFee(BigInteger weiPerGas) {
        this.priorityFee = Objects.requireNonNull(weiPerGas);
    }

    public void receiptTimeout(Duration timeout) {
        this.receiptTimeout = Objects.requireNonNull(timeout);
    }

    public long blockNumber() {
        return rpc(web3j.ethBlockNumber(), "eth_blockNumber").getBlockNumber().longValueExact();
    }

    public BigInteger balance(Address a) {
        return rpc(web3j.ethGetBalance(a.toString(), DefaultBlockParameterName.LATEST), "eth_getBalance").getBalance();
    }

    public BigInteger balanceAt(Address a, long block) {
        return rpc(web3j.ethGetBalance(a.toString(), new DefaultBlockParameterNumber(block)), "eth_getBalance")
                .getBalance();
    }

    /** {@code eth_call} of a view function returning one uint256 (balances, reserves, counters). */
    public BigInteger callUint(DeployedContract c, String function, Type<?>... args) {
        EthCall r = rpc(web3j.ethCall(Transaction.createEthCallTransaction(null, c.address().toString(), c.data(function, args)),
                DefaultBlockParameterName.LATEST), "eth_call " + c + "." + function);
        if (r.isReverted()) {
            throw new DevnetException("eth_call " + c + "." + function + " reverted: " + r.getRevertReason());
        }
        return Numeric.toBigInt(r.getValue());
    }

    /** {@code eth_call} of a view function returning one bool. */
    public boolean callBool(DeployedContract c, String function, Type<?>... args) {
        return callUint(c, function, args).signum() != 0;
    }

    public boolean hasCode(Address a) {
        return hasCode.computeIfAbsent(a, x -> {
            String code = rpc(web3j.ethGetCode(x.toString(), DefaultBlockParameterName.LATEST), "eth_getCode").getCode();
            return code != null && code.length() > 2;
        });
    }

    /** Deploys {@code name} from {@code from} and waits for it; fails if the deployment reverted. */
    public DeployedContract deploy(Credentials from, String name, Type<?>... constructorArgs) {
        CompiledContract cc = CompiledContract.load(name);
        String data = cc.deployData(constructorArgs);
        BigInteger gas = rpc(web3j.ethEstimateGas(Transaction.createContractTransaction(from.getAddress(), null, null, data)),
                "eth_estimateGas " + name).getAmountUsed();
        TransactionReceipt r = requireSuccess(sendAndWait(new Tx(from, null, BigInteger.ZERO, data,
                gas.longValueExact() * 6 / 5 + 10_000)), "deploy " + name);
        Address at = Address.parse(r.getContractAddress());
        hasCode.put(at, true);
        log.debug("deployed {} at {}", name, at);
        return new DeployedContract(cc, at);
    }

    public TransactionReceipt sendAndWait(Tx tx) {
        return awaitReceipts(sendAll(List.of(tx))).getFirst();
    }

    /** Sends and waits; fails naming {@code what} if the transaction reverted. */
    public TransactionReceipt transact(Tx tx, String what) {
        return requireSuccess(sendAndWait(tx), what);
    }

    /**
     * Signs every transaction (nonces in list order per sender) and sends them in JSON-RPC batches.
     * Returns their hashes in the same order. A rejected transaction fails the call with the node's reason;
     * the nonces of its sender are then re-read from the node.
     */
    public List<String> sendAll(List<Tx> txs) {
        if (txs.isEmpty()) {
            return List.of();
        }
        BigInteger maxFee = maxFeePerGas();
        List<RawTransaction> raws = new ArrayList<>(txs.size());
        synchronized (nonces) {
            for (Tx tx : txs) {
                if (tx.to() == null && tx.gasLimit() == 0) {
                    throw new IllegalArgumentException("a contract creation needs a gas limit: " + tx);
                }
                long gas = tx.gasLimit() > 0 ? tx.gasLimit() : hasCode(tx.to()) ? 100_000 : TRANSFER_GAS;
                BigInteger nonce = nextNonce(tx.from());
                raws.add(RawTransaction.createTransaction(chainId, nonce, BigInteger.valueOf(gas),
                        tx.to() == null ? "" : tx.to().toString(), tx.value(), tx.data(), priorityFee, maxFee));
            }
        }
        List<String> signed = IntStream.range(0, txs.size()).parallel()
                .mapToObj(i -> Numeric.toHexString(TransactionEncoder.signMessage(raws.get(i), txs.get(i).from()))).toList();
        List<String> hashes = new ArrayList<>(txs.size());
        for (int start = 0; start < signed.size(); start += BATCH) {
            int end = Math.min(signed.size(), start + BATCH);
            var batch = web3j.newBatch();
            for (int i = start; i < end; i++) {
                batch.add(web3j.ethSendRawTransaction(signed.get(i)));
            }
            BatchResponse resp = sendBatch(batch, "eth_sendRawTransaction");
            for (int i = start; i < end; i++) {
                EthSendTransaction r = (EthSendTransaction) resp.getResponses().get(i - start);
                if (r.hasError()) {
                    synchronized (nonces) {
                        nonces.clear();
                    }
                    throw new DevnetException("transaction " + i + " of " + txs.size() + " (" + txs.get(i) + ") rejected: "
                            + r.getError().getMessage());
                }
                hashes.add(r.getTransactionHash());
            }
        }
        return hashes;
    }

    /** Sends all and waits until every one is in a block (mining blocks itself in manual mode). */
    public List<TransactionReceipt> round(List<Tx> txs) {
        return awaitReceipts(sendAll(txs));
    }

    /**
     * Waits for the receipts of {@code hashes}, in the same order. In manual mining mode it mines blocks until all
     * are included; otherwise it polls until the node has mined them or the receipt timeout passes.
     */
    public List<TransactionReceipt> awaitReceipts(List<String> hashes) {
        Map<String, TransactionReceipt> found = new LinkedHashMap<>();
        long deadline = System.nanoTime() + receiptTimeout.toNanos();
        int mined = 0;
        while (true) {
            List<String> missing = hashes.stream().filter(h -> !found.containsKey(h)).toList();
            for (int start = 0; start < missing.size(); start += BATCH) {
                var batch = web3j.newBatch();
                List<String> chunk = missing.subList(start, Math.min(missing.size(), start + BATCH));
                chunk.forEach(h -> batch.add(web3j.ethGetTransactionReceipt(h)));
                BatchResponse resp = sendBatch(batch, "eth_getTransactionReceipt");
                for (int i = 0; i < chunk.size(); i++) {
                    EthGetTransactionReceipt r = (EthGetTransactionReceipt) resp.getResponses().get(i);
                    if (r.hasError()) {
                        throw new DevnetException("eth_getTransactionReceipt " + chunk.get(i) + ": " + r.getError().getMessage());
                    }
                    String hash = chunk.get(i);
                    r.getTransactionReceipt().ifPresent(t -> found.put(hash, t));
                }
            }
            if (found.size() == hashes.size()) {
                return hashes.stream().map(found::get).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new DevnetException((hashes.size() - found.size()) + " of " + hashes.size() + " transactions not mined within "
                        + receiptTimeout + ", e.g. " + hashes.stream().filter(h -> !found.containsKey(h)).findFirst().orElse("?"));
            }
            if (manualMining) {
                if (++mined > 1000) {
                    throw new DevnetException("transactions still pending after mining 1000 blocks, e.g. "
                            + hashes.stream().filter(h -> !found.containsKey(h)).findFirst().orElse("?"));
                }
                mine();
            } else {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevnetException("interrupted while waiting for receipts", e);
                }
            }
        }
    }

    /** Returns {@code r} if the transaction succeeded, else fails naming {@code what} and the transaction. */
    public static TransactionReceipt requireSuccess(TransactionReceipt r, String what) {
        if (!r.isStatusOK()) {
            throw new DevnetException(what + " reverted (tx " + r.getTransactionHash() + ", block " + r.getBlockNumber() + ")");
        }
        return r;
    }

    private BigInteger nextNonce(Credentials from) {
        BigInteger n = nonces.get(from.getAddress());
        if (n == null) {
            n = rpc(web3j.ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING), "eth_getTransactionCount")
                    .getTransactionCount();
        }
        nonces.put(from.getAddress(), n.add(BigInteger.ONE));
        return n;
    }

    /** The max fee per gas the next {@link #sendAll} will offer: twice the latest base fee plus the tip. */
    public BigInteger maxFeePerGas() {
        EthBlock.Block latest = rpc(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false), "eth_getBlockByNumber").getBlock();
        BigInteger base = latest.getBaseFeePerGas() == null ? BigInteger.ZERO : latest.getBaseFeePerGas();
        return base.shiftLeft(1).add(priorityFee);
    }

    private BatchResponse sendBatch(BatchRequest batch, String method) {
        try {
            return batch.send();
        } catch (IOException e) {
            throw new DevnetException(method + " batch failed: " + e.getMessage(), e);
        }
    }

    private static <T extends Response<?>> T rpc(Request<?, T> req, String what) {
        T r;
        try {
            r = req.send();
        } catch (IOException e) {
            throw new DevnetException(what + " failed: " + e.getMessage(), e);
        }
        if (r.hasError()) {
            throw new DevnetException(what + " failed: " + r.getError().getMessage());
        }
        return r;
    }

    @Override
    public void close() {
        web3j.shutdown();
    }

    /** A transaction the devnet could not send, that reverted, or a node error. */
    public static final class DevnetException extends RuntimeException {
        public DevnetException(String message) {
            super(message);
        }

        public DevnetException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
