package io.taintwatch.taint;

import io.taintwatch.model.BalanceBasis;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one tracked address holds of one asset: balance {@code B}, tainted amount per source {@code T[s]}
 * (sorted by source id for deterministic output), and, for fifo, the lots; for poison, the poisoning sources.
 */
public final class Holding {
    BigInteger balance;
    final TreeMap<String, BigInteger> taint = new TreeMap<>();
    final BalanceBasis basis;
    /** fifo only: oldest first. */
    final ArrayDeque<Lot> lots;
    /** poison only: sources that ever reached this holding. */
    final TreeSet<String> poisoned;
    /** A record of this holding exists under its own key (reported as written, or restored from one). */
    boolean stored;
    /** Changed in the current block. */
    boolean changed;
    /** The sources it held (taint or poisoning) when the current block first changed it; null when unchanged. */
    String[] before;

    Holding(BigInteger opening, BalanceBasis basis, boolean fifo, boolean poison) {
        this.balance = opening;
        this.basis = basis;
        this.lots = fifo ? new ArrayDeque<>() : null;
        this.poisoned = poison ? new TreeSet<>() : null;
        if (fifo && opening.signum() > 0) {
            lots.add(new Lot(opening, new TreeMap<>()));
        }
    }

    public BigInteger balance() {
        return balance;
    }

    public BalanceBasis basis() {
        return basis;
    }

    /** Tainted amount per source (a read-only view). */
    public Map<String, BigInteger> taint() {
        return java.util.Collections.unmodifiableMap(taint);
    }

    public BigInteger taintOf(String source) {
        return taint.getOrDefault(source, BigInteger.ZERO);
    }

    boolean isClean() {
        return taint.isEmpty() && (poisoned == null || poisoned.isEmpty());
    }

    /** The sources whose taint it holds or that poisoned it, each once, in order. */
    String[] sources() {
        if (poisoned == null || poisoned.isEmpty()) {
            return taint.isEmpty() ? NONE : taint.keySet().toArray(NONE);
        }
        TreeSet<String> all = new TreeSet<>(taint.keySet());
        all.addAll(poisoned);
        return all.toArray(NONE);
    }

    private static final String[] NONE = new String[0];

    /** One fifo lot: an inflow's amount and its taint per source. */
    static final class Lot {
        BigInteger amount;
        final TreeMap<String, BigInteger> taint;

        Lot(BigInteger amount, TreeMap<String, BigInteger> taint) {
            this.amount = amount;
            this.taint = taint;
        }
    }
}
