package io.taintwatch.encoding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;

/**
 * Mainnet-like synthetic blocks for benchmarks: about two legs per transaction (the value or token
 * transfers, then the fee), ERC-20 transfers concentrated on a few popular contracts (a Zipf-like draw
 * over 60 tokens, as USDT/USDC/WETH dominate real blocks), 10^4 addresses with a hot set of routers and
 * pools, and amounts with realistic byte lengths (6-decimal stablecoins fit a long, 18-decimal tokens
 * and wei values often do not). Deterministic for a given seed.
 */
public final class SyntheticBlocks {
    private final SplittableRandom rnd;
    private final Address[] addresses;
    private final Address[] tokens;
    private final int[] tokenDecimals;

    public SyntheticBlocks(long seed) {
        rnd = new SplittableRandom(seed);
        addresses = new Address[10_000];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = randomAddress();
        }
        tokens = new Address[60];
        tokenDecimals = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = randomAddress();
            tokenDecimals[i] = i % 3 == 0 ? 6 : 18;
        }
    }

    private Address randomAddress() {
        return new Address(rnd.nextLong(), rnd.nextLong(), rnd.nextInt());
    }

    private Hash32 randomHash() {
        return new Hash32(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
    }

    /** 20% of picks hit 50 hot addresses (routers, pools, exchange wallets). */
    public Address address() {
        return rnd.nextInt(5) == 0 ? addresses[rnd.nextInt(50)] : addresses[rnd.nextInt(addresses.length)];
    }

    private int tokenIndex() {
        // roughly Zipf: index ~ 60^u - 1 concentrates on the first few tokens
        return Math.min(tokens.length - 1, (int) Math.pow(tokens.length, rnd.nextDouble()) - 1);
    }

    private BigInteger amount(int decimals) {
        long units = 1 + rnd.nextLong(100_000);
        return BigInteger.valueOf(units).multiply(BigInteger.TEN.pow(decimals)).divide(BigInteger.valueOf(1 + rnd.nextInt(1000)));
    }

    /** A block with exactly {@code legs} legs. */
    public Block block(long number, int legs) {
        List<Leg> out = new ArrayList<>(legs);
        int tx = 0;
        while (out.size() < legs) {
            Hash32 txHash = randomHash();
            Address sender = address();
            int sub = 0;
            int transfers = rnd.nextInt(10) < 7 ? 1 : 1 + rnd.nextInt(4);
            for (int t = 0; t < transfers && out.size() < legs - 1; t++) {
                int kind = rnd.nextInt(100);
                if (kind < 30) {
                    out.add(new Leg(new Position(number, tx, sub++), t == 0 ? LegKind.NATIVE : LegKind.INTERNAL, txHash, t == 0 ? sender : address(),
                        address(), Asset.NATIVE, amount(18)));
                } else {
                    int token = tokenIndex();
                    out.add(new Leg(new Position(number, tx, sub++), LegKind.ERC20, txHash, t == 0 ? sender : address(), address(),
                        Asset.token(tokens[token]), amount(tokenDecimals[token])));
                }
            }
            out.add(new Leg(new Position(number, tx, sub), LegKind.FEE, txHash, sender, Address.ZERO, Asset.NATIVE,
                BigInteger.valueOf(21_000L * (1_000_000_000L + rnd.nextLong(50_000_000_000L)))));
            tx++;
        }
        return new Block(ChainId.ETHEREUM, number, randomHash(), randomHash(), 1_700_000_000L + 12 * number, out, null);
    }
}
