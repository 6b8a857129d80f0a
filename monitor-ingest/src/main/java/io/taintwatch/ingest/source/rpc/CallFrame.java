package io.taintwatch.ingest.source.rpc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One frame of geth's {@code callTracer} output; {@code error} is set on a reverted or failed frame. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallFrame(String type, String from, String to, String value, String error, List<CallFrame> calls) {
    public List<CallFrame> callsOrEmpty() {
        return calls == null ? List.of() : calls;
    }
}
