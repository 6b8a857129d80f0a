package io.taintwatch.taint;

import io.taintwatch.model.PathHop;
import java.math.BigInteger;
import java.util.List;

/**
 * One inbound tainted flow kept for a tracked address and source: how much of that source it carried and
 * the whole path from the source to here (oldest hop first), so paths survive the untracking of
 * addresses along them. {@code complete} is false when the path was cut at {@link TaintConfig#MAX_PATH_HOPS}.
 */
public record Provenance(BigInteger tainted, List<PathHop> path, boolean complete) {
}
