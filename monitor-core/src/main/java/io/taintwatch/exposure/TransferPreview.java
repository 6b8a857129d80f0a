package io.taintwatch.exposure;

import io.taintwatch.tokens.NativeAsset;
import io.taintwatch.tokens.Token;
import io.taintwatch.tokens.TokenRegistry;

import io.taintwatch.encoding.Json;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Block;
import io.taintwatch.model.Hash32;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import io.taintwatch.model.Position;
import io.taintwatch.model.TaintFlow;
import io.taintwatch.taint.Account;
import io.taintwatch.taint.KeyValues;
import io.taintwatch.taint.StateCodec;
import io.taintwatch.taint.TaintEngine;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * What the engine would do with a transfer that has not happened: a throwaway engine with the chain's configuration,
 * position, and the state of the two addresses (their accounts, seeds and labels, copied from the stores) processes one
 * block holding the one leg, and its flows are what the live engine would emit if that block came next. The live state is
 * only read.
 *
 * <p>The leg is a top-level native transfer or an ERC-20 transfer at position {@code (next block, 0, 0)}. The throwaway
 * engine's registry holds the live engine's native asset and its verdict on the leg's token (verified, unverified or
 * counterfeit, from the chain's {@code taint-tokens} store), so a counterfeit carries no taint here either.
 */
public final class TransferPreview {
    private static final byte[] META_KEY = "meta".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** The transfer as a one-leg block (what the block rules see) and the flows the engine would emit for it. */
    public record Preview(Block block, List<TaintFlow> flows) {}

    private TransferPreview() {}

    public static Preview of(ExposureQueries queries, Address from, Address to, Asset asset, BigInteger amount) {
        ChainState state = queries.state();
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive, got " + amount);
        }
        if (asset.tokenId() != null) {
            throw new IllegalArgumentException("only native and fungible token transfers are screened, not token ids");
        }
        TokenRegistry tokens = queries.tokens();
        NativeAsset nativeAsset;
        Token token;
        synchronized (tokens) {
            nativeAsset = tokens.nativeAsset();
            token = asset.isNative() ? null : tokens.token(asset.contract());
        }
        return state.progress().read(() -> preview(state, nativeAsset, token, from, to, asset, amount));
    }

    private static Preview preview(ChainState state, NativeAsset nativeAsset, Token token, Address from, Address to, Asset asset,
                                   BigInteger amount) {
        TaintEngine engine = new TaintEngine(state.chain(), state.taint(), nativeAsset);
        if (token != null) {
            engine.tokens().declare(token);
        }
        byte[] position = state.meta().get(META_KEY);
        if (position != null) {
            StateCodec.restorePosition(position, engine);
        }
        for (Address a : from.equals(to) ? List.of(from) : List.of(from, to)) {
            byte[] seed = state.seeds().get(a.toBytes());
            if (seed != null) {
                engine.restoreSeed(StateCodec.decodeSeed(seed));
            }
            byte[] label = state.labels().get(a.toBytes());
            if (label != null) {
                engine.putLabel(Json.parseEntity(label));
            }
            Account account;
            try (KeyValues.Scan records = state.accounts().scan(StateCodec.accountKey(a))) {
                account = StateCodec.readAccount(records);
            }
            if (account != null) {
                engine.restoreAccount(account);
            }
        }
        long number = engine.lastBlock() + 1;
        Hash32 parent = engine.lastHash() == null ? Hash32.ZERO : engine.lastHash();
        // a transaction hash no real transaction has: the preview's flows can never be mistaken for the chain's
        Leg leg = new Leg(new Position(number, 0, 0), asset.isNative() ? LegKind.NATIVE : LegKind.ERC20, Hash32.ZERO, from, to, asset, amount);
        Block block = new Block(state.chain(), number, Hash32.ZERO, parent, 0, List.of(leg), List.of());
        TaintEngine.BlockResult r = engine.process(block);
        return new Preview(block, r.flows());
    }
}
