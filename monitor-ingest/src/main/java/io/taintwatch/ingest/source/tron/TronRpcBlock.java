package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import java.util.ArrayList;
import java.util.List;

/**
 * A block from java-tron's {@code eth_getBlockByNumber(n, true)}: number, hash (the block id, whose first 8 bytes are the
 * number), parent hash, time in seconds and the transactions in order. Tron's JSON-RPC writes addresses as 20-byte hex
 * without the {@code 41} prefix, and its {@code value} is not always TRX (it is the TRC-10 amount of an asset transfer, the
 * vote count of a vote): values come from the HTTP API's contract parameters, not from here.
 */
record TronRpcBlock(long number, Hash32 hash, Hash32 parentHash, long timestamp, List<Tx> transactions) {
    /** One transaction as JSON-RPC shows it. */
    record Tx(Hash32 hash, int index, Address from) {}

    static TronRpcBlock parse(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where + ": not a block object");
        }
        long number = TronJson.quantity(n, "number", where);
        Hash32 hash = TronJson.hash(n, "hash", where);
        // a block id starts with its number: a cheap check that the answer is the block it claims to be
        if (readLong(hash.toBytes()) != number) {
            throw new IllegalArgumentException(where + ": hash " + hash + " does not start with the block number " + number);
        }
        Hash32 parent = TronJson.hash(n, "parentHash", where);
        long timestamp = TronJson.quantity(n, "timestamp", where);
        List<Tx> txs = new ArrayList<>();
        JsonNode list = n.path("transactions");
        for (JsonNode t : list) {
            if (!t.isObject()) {
                throw new IllegalArgumentException(where + ": transactions are hashes only; full transactions were asked for");
            }
            String w = where + " tx " + txs.size();
            int index = (int) TronJson.quantity(t, "transactionIndex", w);
            if (index != txs.size()) {
                throw new IllegalArgumentException(w + ": transactionIndex " + index + " out of order");
            }
            txs.add(new Tx(TronJson.hash(t, "hash", w), index, TronJson.optAddress(t, "from", w)));
        }
        return new TronRpcBlock(number, hash, parent, timestamp, List.copyOf(txs));
    }

    private static long readLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xffL);
        }
        return v;
    }
}
