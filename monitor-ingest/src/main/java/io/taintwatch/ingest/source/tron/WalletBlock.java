package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A block from java-tron's {@code /wallet/getblockbynum} ({@code visible: false}): its id and, per transaction, the type of
 * its (first) contract with the parameters that move value. JSON-RPC does not say the contract type, and its {@code value}
 * means TRX only for some types; this does. Addresses are the HTTP API's {@code 41...} hex.
 */
record WalletBlock(long number, Hash32 id, Hash32 parentHash, List<Tx> transactions) {
    static final String TRANSFER = "TransferContract";
    static final String TRANSFER_ASSET = "TransferAssetContract";
    static final String TRIGGER = "TriggerSmartContract";
    static final String CREATE = "CreateSmartContract";

    /**
     * One transaction: its contract type, owner and the TRX it sends ({@code amount} of a transfer, {@code call_value} of
     * a contract call or creation), its receiver, and the TRC-10 token it sends ({@code asset_name}/{@code token_id}, null
     * when none) with its amount.
     */
    record Tx(Hash32 id, String type, Address owner, Address to, BigInteger trx, Asset trc10, BigInteger trc10Amount) {}

    static WalletBlock parse(JsonNode n, long asked, String where) {
        if (n == null || !n.isObject() || !n.has("blockID")) {
            // java-tron answers {} for a block it does not have
            return null;
        }
        Hash32 id = TronJson.hash(n, "blockID", where);
        JsonNode raw = n.path("block_header").path("raw_data");
        long number = TronJson.number(raw, "number", where + " block_header");
        if (number != asked) {
            throw new IllegalArgumentException(where + ": asked for block " + asked + ", got block " + number);
        }
        Hash32 parent = TronJson.hash(raw, "parentHash", where + " block_header");
        List<Tx> txs = new ArrayList<>();
        for (JsonNode t : n.path("transactions")) {
            String w = where + " tx " + txs.size();
            Hash32 txId = TronJson.hash(t, "txID", w);
            JsonNode contract = t.path("raw_data").path("contract").path(0);
            String type = TronJson.text(contract, "type", w);
            JsonNode v = contract.path("parameter").path("value");
            Address owner = TronJson.address(v, "owner_address", w);
            txs.add(switch (type) {
                case TRANSFER -> new Tx(txId, type, owner, TronJson.address(v, "to_address", w), big(v, "amount", w), null, BigInteger.ZERO);
                case TRANSFER_ASSET -> new Tx(txId, type, owner, TronJson.address(v, "to_address", w), BigInteger.ZERO,
                    TronJson.trc10(assetName(v, w), "asset_name", w), big(v, "amount", w));
                case TRIGGER -> new Tx(txId, type, owner, TronJson.address(v, "contract_address", w), big(v, "call_value", w),
                    callToken(v, w), big(v, "call_token_value", w));
                // the new contract's address is in the transaction info (contract_address), not in the request
                case CREATE -> new Tx(txId, type, owner, null, big(v.path("new_contract"), "call_value", w),
                    callToken(v, w), big(v, "call_token_value", w));
                default -> new Tx(txId, type, owner, null, BigInteger.ZERO, null, BigInteger.ZERO);
            });
        }
        return new WalletBlock(number, id, parent, List.copyOf(txs));
    }

    private static BigInteger big(JsonNode n, String field, String where) {
        long v = TronJson.number(n, field, where);
        if (v < 0) {
            throw new IllegalArgumentException(where + ": '" + field + "' is negative: " + v);
        }
        return BigInteger.valueOf(v);
    }

    /** A TRC-10 id: the HTTP API writes {@code asset_name} as the hex of its decimal text ({@code "31303032303030"} is 1002000). */
    private static String assetName(JsonNode v, String where) {
        String hex = TronJson.text(v, "asset_name", where);
        try {
            return new String(Hex.decode(hex), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": 'asset_name' is not hex: '" + Hex.abbreviate(hex) + "'", e);
        }
    }

    /** The TRC-10 token a contract call or creation sends ({@code token_id}, a number), or null when it sends none. */
    private static Asset callToken(JsonNode v, String where) {
        if (TronJson.number(v, "call_token_value", where) == 0) {
            return null;
        }
        long id = TronJson.number(v, "token_id", where);
        return TronJson.trc10(id == 0 ? "" : Long.toString(id), "token_id", where);
    }
}
