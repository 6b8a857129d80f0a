package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.taintwatch.ingest.evm.Quantity;
import java.math.BigInteger;

/** A transaction object of {@code eth_getBlockByNumber(n, true)}; raw hex kept, decoded by the getters. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RpcTransaction(String hash, String from, String to, String value, String transactionIndex, String gasPrice,
                             String type, String nonce, String blockNumber) {
    public int index() {
        return (int) Quantity.asLong(transactionIndex);
    }

    public BigInteger valueWei() {
        return value == null ? BigInteger.ZERO : Quantity.big(value);
    }
}
