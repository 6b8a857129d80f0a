package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Turns value-moving event logs into token moves: ERC-20 and ERC-721 {@code Transfer}, WETH {@code Deposit} and
 * {@code Withdrawal} (only from the configured WETH contracts, since other contracts reuse those signatures), and
 * ERC-1155 {@code TransferSingle}/{@code TransferBatch}. Logs of other events decode to nothing. The events are
 * declared as web3j {@link Event}s (their topics come from web3j's {@link EventEncoder}) and the dynamic arrays of
 * {@code TransferBatch} are decoded by web3j; the fixed 32-byte words of the frequent events are read directly, and an
 * address topic must be 12 zero bytes and 20 address bytes, which web3j's decoder does not check (docs/ingest.md,
 * "web3j").
 */
public final class LogDecoder {
    static final Event TRANSFER_EVENT = new Event("Transfer", List.of(indexed(), indexed(), new TypeReference<Uint256>() {}));
    static final Event DEPOSIT_EVENT = new Event("Deposit", List.of(indexed(), new TypeReference<Uint256>() {}));
    static final Event WITHDRAWAL_EVENT = new Event("Withdrawal", List.of(indexed(), new TypeReference<Uint256>() {}));
    static final Event TRANSFER_SINGLE_EVENT = new Event("TransferSingle",
        List.of(indexed(), indexed(), indexed(), new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {}));
    static final Event TRANSFER_BATCH_EVENT = new Event("TransferBatch",
        List.of(indexed(), indexed(), indexed(), new TypeReference<DynamicArray<Uint256>>() {}, new TypeReference<DynamicArray<Uint256>>() {}));

    public static final Hash32 TRANSFER = topic(TRANSFER_EVENT);
    public static final Hash32 DEPOSIT = topic(DEPOSIT_EVENT);
    public static final Hash32 WITHDRAWAL = topic(WITHDRAWAL_EVENT);
    public static final Hash32 TRANSFER_SINGLE = topic(TRANSFER_SINGLE_EVENT);
    public static final Hash32 TRANSFER_BATCH = topic(TRANSFER_BATCH_EVENT);

    private final Set<Address> wethContracts;

    public LogDecoder(Set<Address> wethContracts) {
        this.wethContracts = Set.copyOf(wethContracts);
    }

    /** The first topic of an event's logs: the Keccak-256 of its signature. */
    public static Hash32 topic(Event event) {
        return Hash32.parse(EventEncoder.encode(event));
    }

    private static TypeReference<org.web3j.abi.datatypes.Address> indexed() {
        return new TypeReference<>(true) {};
    }

    /** True when the log's first topic is one of the events this decoder understands (whatever its shape). */
    public boolean isValueEvent(EvmLog log) {
        if (log.topics().isEmpty()) {
            return false;
        }
        Hash32 t0 = log.topics().get(0);
        return t0.equals(TRANSFER) || t0.equals(TRANSFER_SINGLE) || t0.equals(TRANSFER_BATCH)
            || ((t0.equals(DEPOSIT) || t0.equals(WITHDRAWAL)) && wethContracts.contains(log.address()));
    }

    /** The moves a log makes, empty for an unrelated event; a known event with the wrong shape is malformed. */
    public List<TokenMove> decode(EvmLog log) throws MalformedLogException {
        if (!isValueEvent(log)) {
            return List.of();
        }
        List<Hash32> t = log.topics();
        byte[] d = log.data() == null ? new byte[0] : log.data();
        Hash32 t0 = t.get(0);
        if (t0.equals(TRANSFER)) {
            if (t.size() == 3 && d.length == 32) {
                return List.of(move(log, 0, LegKind.ERC20, Asset.token(log.address()), addr(t, 1), addr(t, 2), Quantity.word(d, 0)));
            }
            if (t.size() == 4 && d.length == 0) {
                BigInteger tokenId = new BigInteger(1, t.get(3).toBytes());
                return List.of(move(log, 0, LegKind.ERC721, Asset.nft(log.address(), tokenId), addr(t, 1), addr(t, 2), BigInteger.ONE));
            }
            throw new MalformedLogException("Transfer with " + t.size() + " topics and " + d.length
                + " data bytes (ERC-20 has 3 topics + 32 bytes, ERC-721 4 topics + none)");
        }
        if (t0.equals(DEPOSIT) || t0.equals(WITHDRAWAL)) {
            if (t.size() != 2 || d.length != 32) {
                throw new MalformedLogException("WETH " + (t0.equals(DEPOSIT) ? "Deposit" : "Withdrawal") + " with " + t.size()
                    + " topics and " + d.length + " data bytes (expected 2 topics + 32 bytes)");
            }
            Address holder = addr(t, 1);
            Asset weth = Asset.token(log.address());
            BigInteger wad = Quantity.word(d, 0);
            return t0.equals(DEPOSIT)
                ? List.of(move(log, 0, LegKind.WETH, weth, Address.ZERO, holder, wad))
                : List.of(move(log, 0, LegKind.WETH, weth, holder, Address.ZERO, wad));
        }
        if (t0.equals(TRANSFER_SINGLE)) {
            if (t.size() != 4 || d.length != 64) {
                throw new MalformedLogException("TransferSingle with " + t.size() + " topics and " + d.length + " data bytes (expected 4 topics + 64 bytes)");
            }
            BigInteger id = Quantity.word(d, 0);
            return List.of(move(log, 0, LegKind.ERC1155, Asset.nft(log.address(), id), addr(t, 2), addr(t, 3), Quantity.word(d, 32)));
        }
        // TransferBatch(operator, from, to, uint256[] ids, uint256[] values): two dynamic arrays in the data
        if (t.size() != 4 || d.length < 128 || d.length % 32 != 0) {
            throw new MalformedLogException("TransferBatch with " + t.size() + " topics and " + d.length + " data bytes (expected 4 topics + two ABI arrays)");
        }
        List<List<BigInteger>> arrays = arrays(d);
        List<BigInteger> ids = arrays.get(0);
        List<BigInteger> values = arrays.get(1);
        if (ids.size() != values.size()) {
            throw new MalformedLogException("TransferBatch with " + ids.size() + " ids but " + values.size() + " values");
        }
        Address from = addr(t, 2);
        Address to = addr(t, 3);
        List<TokenMove> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(move(log, i, LegKind.ERC1155, Asset.nft(log.address(), ids.get(i)), from, to, values.get(i)));
        }
        return out;
    }

    /**
     * The ids and the values of a {@code TransferBatch}'s data, by web3j's decoder, after checking what it leaves to us:
     * each head word is an offset inside the data and the length fits behind it (web3j would read past a lying length
     * into the other array, or fail deep inside).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<List<BigInteger>> arrays(byte[] d) throws MalformedLogException {
        for (int head = 0; head < 64; head += 32) {
            BigInteger off = Quantity.word(d, head);
            if (off.bitLength() > 31 || off.intValue() % 32 != 0 || off.intValue() + 32 > d.length) {
                throw new MalformedLogException("TransferBatch array offset " + off + " outside " + d.length + " data bytes");
            }
            int o = off.intValue();
            BigInteger len = Quantity.word(d, o);
            if (len.bitLength() > 31 || (long) o + 32 + 32L * len.intValue() > d.length) {
                throw new MalformedLogException("TransferBatch array length " + len + " overruns " + d.length + " data bytes");
            }
        }
        try {
            List<Type> decoded = FunctionReturnDecoder.decode(Hex.encode0x(d), (List) TRANSFER_BATCH_EVENT.getNonIndexedParameters());
            List<List<BigInteger>> out = new ArrayList<>(2);
            for (Type array : decoded) {
                out.add(((DynamicArray<Uint256>) array).getValue().stream().map(Uint256::getValue).toList());
            }
            return out;
        } catch (RuntimeException e) {
            throw new MalformedLogException("TransferBatch data does not decode as two uint256 arrays: " + e.getMessage());
        }
    }

    private static Address addr(List<Hash32> topics, int i) throws MalformedLogException {
        try {
            return Address.of(topics.get(i).toBytes());
        } catch (IllegalArgumentException e) {
            throw new MalformedLogException("topic " + i + " is not an address: " + topics.get(i));
        }
    }

    private static TokenMove move(EvmLog log, int batch, LegKind kind, Asset asset, Address from, Address to, BigInteger amount) throws MalformedLogException {
        if (amount.bitLength() > 256) {
            throw new MalformedLogException("amount exceeds 256 bits");
        }
        return new TokenMove(log.txIndex(), log.txHash(), log.logIndex(), batch, kind, asset, from, to, amount);
    }
}
