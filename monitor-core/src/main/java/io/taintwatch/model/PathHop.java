package io.taintwatch.model;

import java.math.BigInteger;

/** One hop of a laundering path: a tainted leg and how much of it came from the path's source. */
public record PathHop(Position position, Hash32 txHash, long timestamp, Address from, Address to, Asset asset,
                      BigInteger amount, BigInteger tainted) {
}
