package io.taintwatch.exposure;

import io.taintwatch.model.ChainId;
import io.taintwatch.taint.KeyValues;
import io.taintwatch.taint.TaintConfig;
import io.taintwatch.tokens.NativeAsset;

/**
 * One chain's engine state as the queries read it: its stores (read only), where its engine is in writing them, and the
 * engine's configuration (a screening runs the engine's rules on it). {@code tokens} is null when the engine reads no tokens. Live, the stores are the taint task's, read through
 * Kafka Streams' interactive queries; in tests, maps.
 */
public record ChainState(ChainId chain, TaintConfig taint, NativeAsset nativeAsset, KeyValues accounts, KeyValues seeds,
                         KeyValues labels, KeyValues meta, KeyValues received, KeyValues tokens, EngineProgress progress) {
}
