package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.taintwatch.ingest.evm.EvmLog;
import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Hex;
import java.util.List;

/** A log as JSON-RPC returns it (inside a receipt or from {@code eth_getLogs}); raw hex kept. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RpcLog(String address, List<String> topics, String data, String logIndex, String transactionIndex,
                     String transactionHash, String blockNumber, Boolean removed) {
    public EvmLog toEvmLog() {
        List<Hash32> t = topics == null ? List.of() : topics.stream().map(Hash32::parse).toList();
        return new EvmLog((int) Quantity.asLong(transactionIndex), Hash32.parse(transactionHash), (int) Quantity.asLong(logIndex),
            Address.parse(address), t, data == null ? new byte[0] : Hex.decode(data));
    }
}
