package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.taintwatch.ingest.evm.BlockHeader;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import java.util.List;

/** The result of {@code eth_getBlockByNumber(n, true)}: header fields and full transaction objects; raw hex kept. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RpcBlock(String number, String hash, String parentHash, String timestamp, String miner, String baseFeePerGas,
                       List<RpcTransaction> transactions) {
    public long numberValue() {
        return Quantity.asLong(number);
    }

    public BlockHeader header() {
        return new BlockHeader(numberValue(), Hash32.parse(hash), Hash32.parse(parentHash), Quantity.asLong(timestamp),
            miner == null ? null : Address.parse(miner), Quantity.big(baseFeePerGas));
    }

    public List<RpcTransaction> transactionsOrEmpty() {
        return transactions == null ? List.of() : transactions;
    }
}
