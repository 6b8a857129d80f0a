package io.taintwatch.ingest.source.tron;

import com.fasterxml.jackson.databind.JsonNode;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Hash32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction's execution result from java-tron's {@code /wallet/gettransactioninfobyblocknum}: the TRX it cost
 * ({@code fee}, sun, burnt for energy and bandwidth beyond what the account had staked, plus account-creation and other
 * fees), whether it failed ({@code result: FAILED}; absent means success), the contract it created, and its internal
 * transactions (recorded only by nodes with {@code vm.saveInternalTx = true}).
 */
record WalletTxInfo(Hash32 id, long blockNumber, long fee, boolean failed, Address contractAddress, List<Internal> internals) {
    /**
     * One internal transaction: TRX moved from {@code caller} to {@code to} ({@code callValueInfo} entries without a
     * {@code tokenId}); TRC-10 tokens moved (entries with one, in recorded order, zero amounts left out); {@code rejected}
     * when its call reverted; {@code note} the frame kind ({@code call}, {@code create}, {@code suicide}).
     */
    record Internal(Address caller, Address to, BigInteger trx, List<Trc10> trc10, boolean rejected, String note) {}

    /** A TRC-10 amount an internal transaction moved. */
    record Trc10(Asset asset, BigInteger amount) {}

    static WalletTxInfo parse(JsonNode n, String where) {
        Hash32 id = TronJson.hash(n, "id", where);
        String w = where + " tx " + id;
        long fee = TronJson.number(n, "fee", w);
        if (fee < 0) {
            throw new IllegalArgumentException(w + ": negative fee " + fee);
        }
        boolean failed = "FAILED".equals(TronJson.optText(n, "result"));
        List<Internal> internals = new ArrayList<>();
        for (JsonNode it : n.path("internal_transactions")) {
            String iw = w + " internal_transactions[" + internals.size() + "]";
            BigInteger trx = BigInteger.ZERO;
            List<Trc10> trc10 = new ArrayList<>(0);
            for (JsonNode cv : it.path("callValueInfo")) {
                long value = TronJson.number(cv, "callValue", iw);
                if (value < 0) {
                    throw new IllegalArgumentException(iw + ": negative callValue " + value);
                }
                String token = TronJson.optText(cv, "tokenId");
                if (token != null && !token.isEmpty()) {
                    Asset asset = TronJson.trc10(token, "tokenId", iw);
                    if (value > 0) {
                        trc10.add(new Trc10(asset, BigInteger.valueOf(value)));
                    }
                } else {
                    trx = trx.add(BigInteger.valueOf(value));
                }
            }
            internals.add(new Internal(TronJson.address(it, "caller_address", iw), TronJson.address(it, "transferTo_address", iw), trx,
                List.copyOf(trc10),
                it.path("rejected").asBoolean(false), note(TronJson.optText(it, "note"))));
        }
        return new WalletTxInfo(id, TronJson.number(n, "blockNumber", w), fee, failed, TronJson.optAddress(n, "contract_address", w),
            List.copyOf(internals));
    }

    /** The HTTP API writes the note as the hex of its ASCII text ({@code 63616c6c} is {@code call}). */
    private static String note(String hex) {
        if (hex == null) {
            return "call";
        }
        try {
            return new String(io.taintwatch.model.Hex.decode(hex), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return hex;
        }
    }
}
