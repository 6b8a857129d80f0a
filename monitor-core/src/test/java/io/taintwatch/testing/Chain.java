package io.taintwatch.testing;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;

/** Builds small test chains: named addresses, blocks of legs with consecutive hashes. */
public final class Chain {
    public static final ChainId CHAIN = new ChainId(31337, "testnet");

    private final List<Block> blocks = new ArrayList<>();
    private long next;

    public Chain(long firstBlock) {
        this.next = firstBlock;
    }

    /** A deterministic address for a name ("hacker", "alice"). */
    public static Address addr(String name) {
        byte[] h = Hash.sha3(name.getBytes(StandardCharsets.UTF_8));
        byte[] a = new byte[20];
        System.arraycopy(h, 12, a, 0, 20);
        return Address.of(a);
    }

    public static Hash32 hash(String s) {
        return Hash32.of(Hash.sha3(s.getBytes(StandardCharsets.UTF_8)));
    }

    public static Asset token(String name) {
        return Asset.token(addr("token:" + name));
    }

    public BlockBuilder block() {
        return new BlockBuilder(next++);
    }

    public List<Block> blocks() {
        return blocks;
    }

    public final class BlockBuilder {
        final long number;
        final List<Leg> legs = new ArrayList<>();
        List<Balance> balances;
        int tx = -1;
        int sub;

        BlockBuilder(long number) {
            this.number = number;
        }

        /** Starts a new transaction. */
        public BlockBuilder tx() {
            tx++;
            sub = 0;
            return this;
        }

        public BlockBuilder leg(LegKind kind, String from, String to, Asset asset, long amount) {
            return leg(kind, addr(from), addr(to), asset, BigInteger.valueOf(amount));
        }

        public BlockBuilder leg(LegKind kind, Address from, Address to, Asset asset, BigInteger amount) {
            if (tx < 0) {
                tx();
            }
            legs.add(new Leg(new Position(number, tx, sub++), kind, hash("tx:" + number + ":" + tx), from, to, asset, amount));
            return this;
        }

        /** A native transfer in its own transaction. */
        public BlockBuilder send(String from, String to, long amount) {
            return tx().leg(LegKind.NATIVE, from, to, Asset.NATIVE, amount);
        }

        public BlockBuilder balance(String who, Asset asset, long amount) {
            if (balances == null) {
                balances = new ArrayList<>();
            }
            balances.add(new Balance(addr(who), asset, BigInteger.valueOf(amount)));
            return this;
        }

        public Block build() {
            Block b = new Block(CHAIN, number, hash("block:" + number), hash("block:" + (number - 1)), 1_700_000_000L + number * 12,
                legs, balances);
            blocks.add(b);
            return b;
        }
    }
}
