package io.taintwatch.synth;

import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statistics the synthetic chain is calibrated on, computed the same way for real ERC-20 transfers and for the
 * ERC-20 legs of {@link MainnetChain}: transfers per block, transfers per transaction, token mix, repeat
 * counterparties, and how activity is spread over addresses (docs/BENCHMARKS.md, "Generator calibration").
 */
public final class ChainStats {
    private ChainStats() {}

    /** One ERC-20 transfer. */
    public record Transfer(long block, Hash32 tx, Address token, Address from, Address to) {}

    /**
     * The figures. Transactions with more than {@code maxLegsPerTx} transfers (mass airdrops) are left out and counted
     * in {@code excludedTxs}/{@code excludedTransfers}; every other figure is over the remaining transfers.
     */
    public record Figures(int blocks, int transfers, int excludedTxs, int excludedTransfers, double perBlockP10, double perBlockP50,
                          double perBlockP90, double perBlockMean, int txs, double transfersPerTx, double singleTransferTxShare,
                          double twoTransferTxShare, double threePlusTransferTxShare, int distinctTokens, double top1TokenShare,
                          double top5TokenShare, double top10TokenShare, double top50TokenShare, double stablecoinShare, double wethShare,
                          double repeatPairShare, int addresses, double endpointsPerAddress, double onceAddressShare,
                          double top1PctAddressShare, double top10AddressShare, double maxAddressShare, double exchangeShare) {

        /** Name to value, in a fixed order, for tables and comparisons. */
        public Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("ERC-20 transfers per block, p10", perBlockP10);
            m.put("ERC-20 transfers per block, median", perBlockP50);
            m.put("ERC-20 transfers per block, p90", perBlockP90);
            m.put("ERC-20 transfers per block, mean", perBlockMean);
            m.put("transfers per transaction (with any), mean", transfersPerTx);
            m.put("transactions with 1 transfer", singleTransferTxShare);
            m.put("transactions with 2 transfers", twoTransferTxShare);
            m.put("transactions with 3+ transfers", threePlusTransferTxShare);
            m.put("distinct tokens", (double) distinctTokens);
            m.put("top-1 token share", top1TokenShare);
            m.put("top-5 token share", top5TokenShare);
            m.put("top-10 token share", top10TokenShare);
            m.put("top-50 token share", top50TokenShare);
            m.put("stablecoin share", stablecoinShare);
            m.put("WETH share", wethShare);
            m.put("repeat counterparty share (from,to seen before)", repeatPairShare);
            m.put("distinct addresses", (double) addresses);
            m.put("transfer endpoints per address", endpointsPerAddress);
            m.put("addresses seen once", onceAddressShare);
            m.put("top 1% of addresses: share of endpoints", top1PctAddressShare);
            m.put("top 10 addresses: share of endpoints", top10AddressShare);
            m.put("busiest address: share of endpoints", maxAddressShare);
            m.put("transfers touching an exchange wallet", exchangeShare);
            return m;
        }
    }

    /** The ERC-20 legs of generated blocks as transfers. */
    public static List<Transfer> erc20(Collection<MainnetChain.GeneratedBlock> blocks) {
        List<Transfer> out = new ArrayList<>();
        for (MainnetChain.GeneratedBlock g : blocks) {
            for (Leg l : g.block().legs()) {
                if (l.kind() == LegKind.ERC20) {
                    out.add(new Transfer(l.position().block(), l.txHash(), l.asset().contract(), l.from(), l.to()));
                }
            }
        }
        return out;
    }

    /**
     * @param blocks number of blocks the transfers cover (blocks without transfers count as 0)
     * @param exchanges addresses counted as exchange wallets
     */
    public static Figures of(List<Transfer> all, int blocks, Set<Address> stablecoins, Address weth, Set<Address> exchanges, int maxLegsPerTx) {
        Map<Hash32, Integer> perTx = new HashMap<>();
        for (Transfer t : all) {
            perTx.merge(t.tx(), 1, Integer::sum);
        }
        int excludedTxs = 0;
        int excludedTransfers = 0;
        for (int n : perTx.values()) {
            if (n > maxLegsPerTx) {
                excludedTxs++;
                excludedTransfers += n;
            }
        }
        List<Transfer> ts = new ArrayList<>(all.size());
        for (Transfer t : all) {
            if (perTx.get(t.tx()) <= maxLegsPerTx) {
                ts.add(t);
            }
        }
        int n = ts.size();
        if (n == 0 || blocks < 1) {
            throw new IllegalArgumentException("no transfers to compute statistics on");
        }
        Map<Long, Integer> perBlock = new HashMap<>();
        Map<Hash32, Integer> txCounts = new HashMap<>();
        Map<Address, Integer> tokens = new HashMap<>();
        Map<Address, Integer> activity = new HashMap<>();
        Set<Pair> pairs = new HashSet<>();
        int repeats = 0;
        int stable = 0;
        int wethCount = 0;
        int exchange = 0;
        for (Transfer t : ts) {
            perBlock.merge(t.block(), 1, Integer::sum);
            txCounts.merge(t.tx(), 1, Integer::sum);
            tokens.merge(t.token(), 1, Integer::sum);
            activity.merge(t.from(), 1, Integer::sum);
            activity.merge(t.to(), 1, Integer::sum);
            if (!pairs.add(new Pair(t.from(), t.to()))) {
                repeats++;
            }
            if (stablecoins.contains(t.token())) {
                stable++;
            }
            if (t.token().equals(weth)) {
                wethCount++;
            }
            if (exchanges.contains(t.from()) || exchanges.contains(t.to())) {
                exchange++;
            }
        }
        if (perBlock.size() > blocks) {
            throw new IllegalArgumentException("transfers span " + perBlock.size() + " blocks, more than the " + blocks + " given");
        }
        int[] pb = new int[blocks];
        int i = 0;
        for (int c : perBlock.values()) {
            pb[i++] = c;
        }
        Arrays.sort(pb);
        int txs = txCounts.size();
        int one = 0;
        int two = 0;
        for (int c : txCounts.values()) {
            if (c == 1) {
                one++;
            } else if (c == 2) {
                two++;
            }
        }
        int[] tok = tokens.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] act = activity.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int once = 0;
        for (int a : act) {
            if (a == 1) {
                once++;
            }
        }
        long endpoints = 2L * n;
        return new Figures(blocks, n, excludedTxs, excludedTransfers, quantile(pb, 0.1), quantile(pb, 0.5), quantile(pb, 0.9), (double) n / blocks,
            txs, (double) n / txs, (double) one / txs, (double) two / txs, (double) (txs - one - two) / txs, tok.length,
            topShare(tok, 1, n), topShare(tok, 5, n), topShare(tok, 10, n), topShare(tok, 50, n), (double) stable / n, (double) wethCount / n,
            (double) repeats / n, act.length, (double) endpoints / act.length, (double) once / act.length,
            topShare(act, Math.max(1, act.length / 100), endpoints), topShare(act, 10, endpoints), topShare(act, 1, endpoints),
            (double) exchange / n);
    }

    private record Pair(Address from, Address to) {}

    /** Nearest-rank quantile of sorted values. */
    static double quantile(int[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** Share of {@code total} held by the {@code k} largest of ascending-sorted counts. */
    private static double topShare(int[] ascending, int k, long total) {
        long s = 0;
        for (int j = ascending.length - 1; j >= 0 && j >= ascending.length - k; j--) {
            s += ascending[j];
        }
        return (double) s / total;
    }
}
