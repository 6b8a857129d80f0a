package io.taintwatch.model;

/** Where a leg happens: block, transaction index, sub-index within the transaction. A total order on a chain. */
public record Position(long block, int txIndex, int subIndex) implements Comparable<Position> {
    public Position {
        if (block < 0 || txIndex < 0 || subIndex < 0) {
            throw new IllegalArgumentException("position parts must not be negative: " + block + "/" + txIndex + "/" + subIndex);
        }
    }

    public static Position startOf(long block) {
        return new Position(block, 0, 0);
    }

    @Override
    public int compareTo(Position o) {
        int c = Long.compare(block, o.block);
        if (c == 0) {
            c = Integer.compare(txIndex, o.txIndex);
        }
        return c != 0 ? c : Integer.compare(subIndex, o.subIndex);
    }

    @Override
    public String toString() {
        return block + ":" + txIndex + ":" + subIndex;
    }
}
