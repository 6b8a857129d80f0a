package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One entry of {@code trace_block} (OpenEthereum/Erigon/Reth format, also {@code flatCallTracer}); raw hex kept. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParityTrace(String type, Action action, Result result, String error, List<Integer> traceAddress,
                          String transactionHash, Integer transactionPosition) {
    /** The action: a call ({@code callType}), a create, a suicide ({@code address}, {@code refundAddress}, {@code balance}) or a reward. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Action(String callType, String from, String to, String value, String address, String refundAddress,
                         String balance, String author, String rewardType) {}

    /** The result; {@code address} is the created contract of a create. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(String address, String gasUsed, String output) {}
}
