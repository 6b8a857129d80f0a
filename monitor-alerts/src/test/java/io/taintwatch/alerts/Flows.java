package io.taintwatch.alerts;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Entity;
import io.taintwatch.model.FlowKind;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.PolicyKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.SourceShare;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.model.TaintPath;
import io.taintwatch.testing.Chain;

import java.math.BigInteger;
import java.util.List;

/** Hand-made taint flows for rule tests (the topology tests use flows from the real engine). */
public final class Flows {
    private Flows() {}

    public static final BigInteger ETH = BigInteger.TEN.pow(18);

    /** A flow of {@code amount} wei from {@code from} to {@code to}, {@code tainted} of it from {@code source} at {@code hop}. */
    public static TaintFlow flow(long block, int tx, String from, String to, BigInteger amount, String source, BigInteger tainted, int hop,
                                 FlowKind kind, Entity toEntity) {
        Position p = new Position(block, tx, 0);
        List<TaintPath> paths = List.of();
        if (kind == FlowKind.TERMINAL) {
            // source -> ... -> from -> to, one hop per intermediate name
            PathHop last = new PathHop(p, Chain.hash("tx:" + block + ":" + tx), ts(block), Chain.addr(from), Chain.addr(to),
                Asset.NATIVE, amount, tainted);
            PathHop first = new PathHop(new Position(block - 1, 0, 0), Chain.hash("tx:" + (block - 1) + ":0"), ts(block - 1),
                Chain.addr("seed:" + source), Chain.addr(from), Asset.NATIVE, amount, tainted);
            paths = List.of(new TaintPath(source, Chain.addr("seed:" + source), hop == 1 ? List.of(last) : List.of(first, last), true));
        }
        return new TaintFlow(Chain.CHAIN, p, ts(block), LegKind.NATIVE, Chain.hash("tx:" + block + ":" + tx), Chain.addr(from),
            Chain.addr(to), Asset.NATIVE, amount, List.of(new SourceShare(source, tainted, hop, 1)), PolicyKind.HAIRCUT, kind,
            toEntity, BalanceBasis.END_OF_BLOCK, paths);
    }

    public static long ts(long block) {
        return 1_700_000_000L + block * 12;
    }

    public static Address addr(String name) {
        return Chain.addr(name);
    }
}
