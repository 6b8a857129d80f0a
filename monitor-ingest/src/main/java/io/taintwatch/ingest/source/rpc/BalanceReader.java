package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-of-block balances of the addresses a block's legs touched: {@code eth_getBalance} at the block for native legs
 * (native, internal, fee), {@code balanceOf} via {@code eth_call} at the block for fungible token legs (ERC-20,
 * WETH). The zero address is left out: it stands for mint and burn, its on-chain balance means nothing here.
 * ERC-721/1155 holdings are not read. A {@code balanceOf} that reverts is skipped and logged.
 */
public final class BalanceReader {
    private static final Logger log = LoggerFactory.getLogger(BalanceReader.class);
    private static final String BALANCE_OF = "0x70a08231";

    private final JsonRpcClient rpc;

    public BalanceReader(JsonRpcClient rpc) {
        this.rpc = rpc;
    }

    public List<Balance> read(Block block) {
        TreeSet<Address> nativeHolders = new TreeSet<>();
        TreeMap<Address, TreeSet<Address>> tokenHolders = new TreeMap<>();
        for (Leg l : block.legs()) {
            boolean nativeLeg = l.kind() == LegKind.NATIVE || l.kind() == LegKind.INTERNAL || l.kind() == LegKind.FEE;
            boolean fungible = l.kind() == LegKind.ERC20 || l.kind() == LegKind.WETH;
            for (Address a : List.of(l.from(), l.to())) {
                if (a.isZero()) {
                    continue;
                }
                if (nativeLeg) {
                    nativeHolders.add(a);
                } else if (fungible) {
                    tokenHolders.computeIfAbsent(l.asset().contract(), k -> new TreeSet<>()).add(a);
                }
            }
        }
        String at = Quantity.hex(block.number());
        List<RpcCall> calls = new ArrayList<>();
        List<Balance> keys = new ArrayList<>();
        for (Address a : nativeHolders) {
            calls.add(RpcCall.of("eth_getBalance", a.toString(), at));
            keys.add(new Balance(a, Asset.NATIVE, java.math.BigInteger.ZERO));
        }
        for (Map.Entry<Address, TreeSet<Address>> e : tokenHolders.entrySet()) {
            for (Address holder : e.getValue()) {
                byte[] word = new byte[32];
                holder.writeTo(word, 12);
                calls.add(RpcCall.of("eth_call", Map.of("to", e.getKey().toString(), "data", BALANCE_OF + Hex.encode(word)), at));
                keys.add(new Balance(holder, Asset.token(e.getKey()), java.math.BigInteger.ZERO));
            }
        }
        List<RpcResult> rs = rpc.batch(calls);
        List<Balance> out = new ArrayList<>(rs.size());
        for (int i = 0; i < rs.size(); i++) {
            RpcResult r = rs.get(i);
            Balance k = keys.get(i);
            if (!r.ok() || r.result() == null || !r.result().isTextual()) {
                if (k.asset().isNative()) {
                    throw new RpcException("eth_getBalance of " + k.address() + " at block " + block.number() + " failed: "
                        + (r.error() == null ? "no result" : r.error()), r.error() != null && r.error().retriable(), -1, -1, null);
                }
                log.warn("block {}: balanceOf({}) on {} failed ({}); balance left out", block.number(), k.address(), k.asset(),
                    r.error() == null ? "no result" : r.error());
                continue;
            }
            String hex = r.result().asText();
            if (!k.asset().isNative() && Hex.decode(hex).length < 32) {
                log.warn("block {}: balanceOf({}) on {} returned {} bytes; balance left out", block.number(), k.address(), k.asset(), Hex.decode(hex).length);
                continue;
            }
            out.add(new Balance(k.address(), k.asset(), k.asset().isNative() ? Quantity.big(hex) : Quantity.word(Hex.decode(hex), 0)));
        }
        return out;
    }
}
