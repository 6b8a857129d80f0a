package io.taintwatch.exposure;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.BalanceBasis;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.PathHop;
import io.taintwatch.model.Position;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * An address's exposure to the sources the engine follows, as of the last block its chain's engine processed: what it
 * is (its label, whether it is itself a source), what tainted value it holds now per asset and source, and what it has
 * received of each source over all time, each figure with the transactions behind it.
 *
 * @param asOfBlock the last block processed (-1: none yet)
 * @param sources   every source named in the answer, by id
 * @param first     the earliest tainted flow the address received (null: none)
 * @param last      the latest one (null: none)
 */
public record Exposure(ChainId chain, Address address, long asOfBlock, Entity label, SeedStatus seed, boolean tracked,
                       List<Held> holdings, List<ReceivedTaint> received, Map<String, Source> sources, Flow first, Flow last) {
    public Exposure {
        holdings = List.copyOf(holdings);
        received = List.copyOf(received);
        sources = Map.copyOf(sources);
    }

    /** The address is on the watchlist: a source of {@code sourceId} from block {@code effectiveFrom}. */
    public record SeedStatus(String sourceId, Category category, String reference, long validFrom, long effectiveFrom) {}

    /** A source as the watchlist describes it: its category, reference and addresses. */
    public record Source(String id, Category category, String reference, List<Address> addresses) {
        public Source {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Taint of one source held now in one asset: the amount, its share of the balance in parts per million (rounded down),
     * the lowest hop at which the source reached the address, and the inbound flows kept as evidence (largest first, each
     * with its path from the source, oldest hop first).
     */
    public record Held(Asset asset, BigInteger balance, BalanceBasis basis, String source, BigInteger amount, long sharePpm, int minHop,
                       List<Evidence> evidence) {
        public Held {
            evidence = List.copyOf(evidence);
        }
    }

    /** One inbound tainted flow and the path that brought it; {@code complete} is false when the path was cut short. */
    public record Evidence(BigInteger tainted, boolean complete, List<PathHop> path) {
        public Evidence {
            path = List.copyOf(path);
        }
    }

    /** A tainted flow's place: block position and transaction. */
    public record Flow(Position position, Hash32 txHash) {}
}
