package io.taintwatch.encoding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.SkipReason;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TokenStatus;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;

/** Random domain values biased towards the edges of the wire format (zero, 2^63, 2^256 - 1, empty lists). */
final class RandomModel {
    private static final BigInteger[] EDGES = {
        BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(127), BigInteger.valueOf(128), BigInteger.valueOf(255),
        BigInteger.valueOf(256), BigInteger.valueOf(Long.MAX_VALUE), BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
        BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)};

    private final Random rnd;
    private final List<Address> addresses = new ArrayList<>();
    private final List<Address> tokens = new ArrayList<>();

    RandomModel(long seed) {
        rnd = new Random(seed);
        addresses.add(Address.ZERO);
        for (int i = 0; i < 12; i++) {
            addresses.add(freshAddress());
        }
        for (int i = 0; i < 5; i++) {
            tokens.add(freshAddress());
        }
    }

    Address freshAddress() {
        byte[] b = new byte[20];
        rnd.nextBytes(b);
        return Address.of(b);
    }

    Address address() {
        return addresses.get(rnd.nextInt(addresses.size()));
    }

    Hash32 hash() {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        return Hash32.of(b);
    }

    BigInteger amount() {
        return switch (rnd.nextInt(4)) {
            case 0 -> EDGES[rnd.nextInt(EDGES.length)];
            case 1 -> BigInteger.valueOf(rnd.nextInt(1_000_000));
            case 2 -> new BigInteger(64, rnd);
            default -> new BigInteger(1 + rnd.nextInt(256), rnd);
        };
    }

    long uint64() {
        return switch (rnd.nextInt(3)) {
            case 0 -> rnd.nextInt(3);
            case 1 -> Long.MAX_VALUE;
            default -> rnd.nextLong() & Long.MAX_VALUE;
        };
    }

    Asset asset() {
        return switch (rnd.nextInt(4)) {
            case 0 -> Asset.NATIVE;
            case 1 -> Asset.nft(tokens.get(rnd.nextInt(tokens.size())), amount());
            default -> Asset.token(tokens.get(rnd.nextInt(tokens.size())));
        };
    }

    ChainId chain() {
        return rnd.nextBoolean() ? ChainId.ETHEREUM : new ChainId(1 + (rnd.nextLong() & (Long.MAX_VALUE - 1)), "chain-" + rnd.nextInt(100),
            io.taintwatch.model.ChainKind.values()[rnd.nextInt(io.taintwatch.model.ChainKind.values().length)]);
    }

    Block block() {
        ChainId chain = chain();
        long number = uint64();
        List<Leg> legs = new ArrayList<>();
        int txs = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(40);
        int maxSub = rnd.nextBoolean() ? 3 : 300;
        for (int tx = 0; tx < txs; tx++) {
            if (rnd.nextInt(5) == 0) {
                continue; // a transaction without legs leaves an empty tx_hashes entry
            }
            Hash32 txHash = hash();
            int sub = rnd.nextInt(2);
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                LegKind kind = LegKind.values()[rnd.nextInt(LegKind.values().length)];
                legs.add(new Leg(new Position(number, tx, sub), kind, txHash, address(), address(), asset(), amount()));
                sub += 1 + rnd.nextInt(maxSub);
            }
        }
        List<Balance> balances = null;
        if (rnd.nextBoolean()) {
            balances = new ArrayList<>();
            int n = rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                balances.add(new Balance(address(), asset(), amount()));
            }
        }
        return new Block(chain, number, hash(), rnd.nextInt(10) == 0 ? Hash32.ZERO : hash(), uint64(), legs, balances);
    }

    String text() {
        String[] s = {"", "s", "lazarus-2025", "OFAC SDN 12345 DPRK3", "ünïcødé ✓ 名前", "x".repeat(300)};
        return s[rnd.nextInt(s.length)];
    }

    String sourceId(int i) {
        return "src-" + i + (rnd.nextBoolean() ? "-é" : "");
    }

    Entity entity() {
        return new Entity(address(), text(), Category.values()[rnd.nextInt(Category.values().length)], text(), rnd.nextInt(101));
    }

    PathHop pathHop() {
        return new PathHop(new Position(uint64(), rnd.nextInt(1000), rnd.nextInt(1000)), hash(), uint64(), address(), address(),
            asset(), amount(), amount());
    }

    TaintFlow flow() {
        List<SourceShare> shares = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            shares.add(new SourceShare(sourceId(i), amount(), 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 100_000), uint64()));
        }
        List<TaintPath> paths = new ArrayList<>();
        int p = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(3) : 0;
        for (int i = 0; i < p; i++) {
            List<PathHop> hops = new ArrayList<>();
            int h = rnd.nextInt(8);
            for (int j = 0; j < h; j++) {
                hops.add(pathHop());
            }
            paths.add(new TaintPath(sourceId(i), address(), hops, rnd.nextBoolean()));
        }
        Position pos = new Position(uint64(), rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(Integer.MAX_VALUE), rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5000));
        BalanceBasis basis = rnd.nextInt(4) == 0 ? null : BalanceBasis.values()[rnd.nextInt(BalanceBasis.values().length)];
        FlowKind kind = FlowKind.values()[rnd.nextInt(FlowKind.values().length)];
        SkipReason skip = kind == FlowKind.SKIPPED ? SkipReason.values()[rnd.nextInt(SkipReason.values().length)] : null;
        TokenStatus status = rnd.nextInt(4) == 0 ? null : TokenStatus.values()[rnd.nextInt(TokenStatus.values().length)];
        String reason = status == null || status == TokenStatus.VERIFIED ? "" : "symbol \"ЕТН\" (U+0415) looks like ETH " + rnd.nextInt(100);
        return new TaintFlow(chain(), pos, uint64(), LegKind.values()[rnd.nextInt(LegKind.values().length)], hash(), address(), address(),
            asset(), amount(), shares, PolicyKind.values()[rnd.nextInt(3)], kind, rnd.nextBoolean() ? entity() : null, basis, paths,
            status, reason, skip);
    }
}
