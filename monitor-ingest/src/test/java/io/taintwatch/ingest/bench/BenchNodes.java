package io.taintwatch.ingest.bench;

import static io.taintwatch.embedded.devnet.Abi.address;
import static io.taintwatch.embedded.devnet.Abi.string;
import static io.taintwatch.embedded.devnet.Abi.uint;

import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.devnet.DeployedContract;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.Devnet.Tx;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * The nodes the ingest benchmarks read: an anvil filled with N transactions (half ETH sends, half ERC-20 transfers, 200
 * per block) and a {@link RecordedNode}. Prints {@code READY anvilUrl first last recordedUrl} and serves until its
 * standard input closes, so that clients of different builds can take turns against the same data. Args: [txs].
 */
public final class BenchNodes {
    private BenchNodes() {}

    public static void main(String[] args) throws Exception {
        int txs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        try (Anvil anvil = Anvil.builder().accounts(20).gasLimit(300_000_000L).noMining().start(); RecordedNode recorded = new RecordedNode()) {
            long[] range = fill(anvil, txs);
            System.out.println("READY " + anvil.rpcUrl() + " " + range[0] + " " + range[1] + " " + recorded.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until stdin closes
            }
        }
    }

    /** Fills the node; returns the first and last block holding the transactions. */
    public static long[] fill(Anvil anvil, int txCount) {
        Devnet devnet = Devnet.connect(anvil);
        devnet.manualMining(true);
        List<Credentials> acc = devnet.devAccounts();
        DeployedContract token = devnet.deploy(acc.get(0), "StableCoin", string("Bench USD"), string("BUSD"));
        List<Tx> mints = new ArrayList<>();
        for (Credentials c : acc) {
            mints.add(Tx.call(acc.get(0), token, token.data("mint", address(Devnet.address(c)), uint(BigInteger.TEN.pow(12)))));
        }
        devnet.round(mints);
        long first = anvil.blockNumber() + 1;
        int perBlock = 200;
        long tSend = System.nanoTime();
        for (int sent = 0; sent < txCount; sent += perBlock) {
            List<Tx> batch = new ArrayList<>();
            for (int i = 0; i < perBlock && sent + i < txCount; i++) {
                int k = sent + i;
                Credentials from = acc.get(k % acc.size());
                Credentials to = acc.get((k * 7 + 3) % acc.size());
                batch.add(k % 2 == 0
                    ? Tx.transfer(from, Devnet.address(to), BigInteger.valueOf(1_000 + k))
                    : Tx.call(from, token, token.data("transfer", address(Devnet.address(to)), uint(1_000 + k))));
            }
            devnet.round(batch);
        }
        long last = anvil.blockNumber();
        System.err.printf("filled anvil with %d txs in blocks %d..%d in %.1f s%n", txCount, first, last, (System.nanoTime() - tSend) / 1e9);
        return new long[] {first, last};
    }
}
