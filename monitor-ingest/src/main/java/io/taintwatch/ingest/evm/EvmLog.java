package io.taintwatch.ingest.evm;

import io.taintwatch.model.Address;
import io.taintwatch.model.Hash32;
import java.util.List;

/** One event log with its topics and raw data, as read from a receipt, {@code eth_getLogs} or a logs export. */
public record EvmLog(int txIndex, Hash32 txHash, int logIndex, Address address, List<Hash32> topics, byte[] data) {
    public EvmLog {
        topics = List.copyOf(topics);
    }
}
