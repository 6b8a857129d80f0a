package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.taintwatch.ingest.evm.Quantity;
import java.math.BigInteger;
import java.util.List;

/** A receipt of {@code eth_getBlockReceipts} or {@code eth_getTransactionReceipt}; raw hex kept. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RpcReceipt(String transactionHash, String blockHash, String transactionIndex, String status, String root, String gasUsed,
                         String effectiveGasPrice, String contractAddress, List<RpcLog> logs, String blobGasUsed,
                         String blobGasPrice, String from, String to) {
    public int index() {
        return (int) Quantity.asLong(transactionIndex);
    }

    /** True/false from the post-Byzantium status field; null for pre-Byzantium receipts (state root instead). */
    public Boolean success() {
        return status == null ? null : Quantity.big(status).signum() != 0;
    }

    public BigInteger gasUsedValue() {
        return Quantity.big(gasUsed);
    }

    public List<RpcLog> logsOrEmpty() {
        return logs == null ? List.of() : logs;
    }
}
