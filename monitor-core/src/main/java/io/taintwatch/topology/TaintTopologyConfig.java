package io.taintwatch.topology;

import io.taintwatch.kafka.PipelineTopics;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Entity;
import io.taintwatch.model.Seed;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;
import java.util.List;

/**
 * What the taint topology of one chain reads and writes. A replay uses the same topology with its own
 * topic names (and its own application id), so it never touches the live pipeline.
 *
 * <p>{@code initialSeeds} and {@code initialLabels} are applied once, when the engine's state is new
 * (before its first block), so a replay's seeds take effect from their valid-from block whatever order
 * the topics are read in. Seeds and labels on the topics are live updates: they take effect from the
 * next block processed. {@code sectionTimes} turns on {@link SectionTimes} (off by default).
 *
 * <p>Tokens (docs/tokens.md) arrive the same way: declared ones (token lists, the user's CSV) on {@code tokensTopic}
 * ({@code token-registry}), metadata ingest read on {@code observedTokensTopic} ({@code tokens}), and for replays
 * {@code initialTokens} (declared) and {@code initialObservedTokens} (e.g. an export's {@code tokens.csv}), applied once
 * like the initial seeds. A null token topic is not read ({@link #live} reads none; {@link #withTokenTopics} names them).
 * {@code nativeAsset} is the chain's native coin and its wrapped form(s), always verified.
 *
 * <p>{@code stateCaches} bounds the engine's state on the heap ({@link StateCaches}; defaults when null).
 */
public record TaintTopologyConfig(ChainId chain, TaintConfig taint, String blocksTopic, String watchlistTopic,
                                  String labelsTopic, String flowsTopic, List<Seed> initialSeeds, List<Entity> initialLabels,
                                  boolean sectionTimes, String tokensTopic, String observedTokensTopic, NativeAsset nativeAsset,
                                  List<Token> initialTokens, List<Token> initialObservedTokens, StateCaches stateCaches) {
    public TaintTopologyConfig {
        initialSeeds = List.copyOf(initialSeeds);
        initialLabels = List.copyOf(initialLabels);
        initialTokens = List.copyOf(initialTokens);
        initialObservedTokens = List.copyOf(initialObservedTokens);
        if (nativeAsset == null) {
            nativeAsset = NativeAsset.defaultFor(chain);
        }
        if (stateCaches == null) {
            stateCaches = StateCaches.defaults();
        }
    }

    /** Without tokens: no token topics, the chain's default native asset, no initial tokens. */
    public TaintTopologyConfig(ChainId chain, TaintConfig taint, String blocksTopic, String watchlistTopic, String labelsTopic,
                               String flowsTopic, List<Seed> initialSeeds, List<Entity> initialLabels, boolean sectionTimes) {
        this(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, initialSeeds, initialLabels, sectionTimes,
            null, null, NativeAsset.defaultFor(chain), List.of(), List.of(), StateCaches.defaults());
    }

    public static TaintTopologyConfig live(ChainId chain, TaintConfig taint) {
        return new TaintTopologyConfig(chain, taint, chain.blocksTopic(), "watchlist", "labels", chain.flowsTopic(), List.of(), List.of(), false);
    }

    public TaintTopologyConfig withInitial(List<Seed> seeds, List<Entity> labels) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, seeds, labels, sectionTimes,
            tokensTopic, observedTokensTopic, nativeAsset, initialTokens, initialObservedTokens, stateCaches);
    }

    public TaintTopologyConfig withTopics(String blocks, String watchlist, String labels, String flows) {
        return new TaintTopologyConfig(chain, taint, blocks, watchlist, labels, flows, initialSeeds, initialLabels, sectionTimes,
            tokensTopic, observedTokensTopic, nativeAsset, initialTokens, initialObservedTokens, stateCaches);
    }

    /** With the stream thread's time measured by section ({@code taint.section-times}; {@link SectionTimes}). */
    public TaintTopologyConfig withSectionTimes(boolean on) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, initialSeeds, initialLabels, on,
            tokensTopic, observedTokensTopic, nativeAsset, initialTokens, initialObservedTokens, stateCaches);
    }

    /**
     * Reading the declared and the observed token topics ({@code token-registry} and {@code tokens} in the live pipeline,
     * as {@link PipelineTopics} names them); null for either: not read.
     */
    public TaintTopologyConfig withTokenTopics(String declared, String observed) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, initialSeeds, initialLabels,
            sectionTimes, declared, observed, nativeAsset, initialTokens, initialObservedTokens, stateCaches);
    }

    /** With the chain's native asset and wrapped form(s) ({@code chain.<name>.native-symbol}, {@code .weth}). */
    public TaintTopologyConfig withNativeAsset(NativeAsset n) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, initialSeeds, initialLabels,
            sectionTimes, tokensTopic, observedTokensTopic, n, initialTokens, initialObservedTokens, stateCaches);
    }

    /** With tokens applied once when the state is new: declared ones and metadata seen on chain (a replay's tokens.csv). */
    public TaintTopologyConfig withInitialTokens(List<Token> declared, List<Token> observed) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, initialSeeds, initialLabels,
            sectionTimes, tokensTopic, observedTokensTopic, nativeAsset, declared, observed, stateCaches);
    }

    /** With the bounds of the engine's state caches ({@code taint.state.*}). */
    public TaintTopologyConfig withStateCaches(StateCaches caches) {
        return new TaintTopologyConfig(chain, taint, blocksTopic, watchlistTopic, labelsTopic, flowsTopic, initialSeeds, initialLabels,
            sectionTimes, tokensTopic, observedTokensTopic, nativeAsset, initialTokens, initialObservedTokens, caches);
    }

    /** Whether any token input is configured; without one the engine knows the native asset only and keeps no token store. */
    public boolean readsTokens() {
        return tokensTopic != null || observedTokensTopic != null || !initialTokens.isEmpty() || !initialObservedTokens.isEmpty();
    }
}
