package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Keccak256;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns value-moving event logs into token moves: ERC-20 and ERC-721 {@code Transfer}, WETH {@code Deposit} and
 * {@code Withdrawal} (only from the configured WETH contracts, since other contracts reuse those signatures), and
 * ERC-1155 {@code TransferSingle}/{@code TransferBatch}. Logs of other events decode to nothing.
 */
public final class LogDecoder {
    public static final Hash32 TRANSFER = topic("Transfer(address,address,uint256)");
    public static final Hash32 DEPOSIT = topic("Deposit(address,uint256)");
    public static final Hash32 WITHDRAWAL = topic("Withdrawal(address,uint256)");
    public static final Hash32 TRANSFER_SINGLE = topic("TransferSingle(address,address,address,uint256,uint256)");
    public static final Hash32 TRANSFER_BATCH = topic("TransferBatch(address,address,address,uint256[],uint256[])");

    private final Set<Address> wethContracts;

    public LogDecoder(Set<Address> wethContracts) {
        this.wethContracts = Set.copyOf(wethContracts);
    }

    public static Hash32 topic(String signature) {
        return Hash32.of(Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII)));
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
        int[] ids = array(d, 0);
        int[] values = array(d, 32);
        if (ids[1] != values[1]) {
            throw new MalformedLogException("TransferBatch with " + ids[1] + " ids but " + values[1] + " values");
        }
        Address from = addr(t, 2);
        Address to = addr(t, 3);
        List<TokenMove> out = new ArrayList<>(ids[1]);
        for (int i = 0; i < ids[1]; i++) {
            BigInteger id = Quantity.word(d, ids[0] + 32 * i);
            out.add(move(log, i, LegKind.ERC1155, Asset.nft(log.address(), id), from, to, Quantity.word(d, values[0] + 32 * i)));
        }
        return out;
    }

    /** {start of elements, length} of the ABI dynamic array whose offset sits in the head word at {@code head}. */
    private static int[] array(byte[] d, int head) throws MalformedLogException {
        BigInteger off = Quantity.word(d, head);
        if (off.bitLength() > 31 || off.intValue() % 32 != 0 || off.intValue() + 32 > d.length) {
            throw new MalformedLogException("TransferBatch array offset " + off + " outside " + d.length + " data bytes");
        }
        int o = off.intValue();
        BigInteger len = Quantity.word(d, o);
        if (len.bitLength() > 31 || (long) o + 32 + 32L * len.intValue() > d.length) {
            throw new MalformedLogException("TransferBatch array length " + len + " overruns " + d.length + " data bytes");
        }
        return new int[] {o + 32, len.intValue()};
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
