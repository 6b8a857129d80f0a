package io.taintwatch.ingest.source.rpc;

import io.taintwatch.ingest.evm.Quantity;
import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.Balance;
import io.taintwatch.model.Block;
import io.taintwatch.model.Hex;
import io.taintwatch.model.Leg;
import io.taintwatch.model.LegKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;

/**
 * End-of-block balances of the addresses a block's legs touched: {@code eth_getBalance} at the block for native legs
 * (native, internal, fee), {@code balanceOf} via {@code eth_call} at the block for fungible token legs (ERC-20,
 * WETH). The zero address is left out: it stands for mint and burn, its on-chain balance means nothing here.
 * ERC-721/1155 holdings are not read. A {@code balanceOf} that reverts is skipped and logged.
 */
public final class BalanceReader {
    private static final Logger log = LoggerFactory.getLogger(BalanceReader.class);
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final List<TypeReference<Type>> BALANCE_OF_RESULT = (List) List.of(new TypeReference<Uint256>() {});

    private final Web3j web3j;
    private final JsonRpcClient rpc;

    public BalanceReader(Web3j web3j, JsonRpcClient rpc) {
        this.web3j = web3j;
        this.rpc = rpc;
    }

    private static Function balanceOf(Address holder) {
        return new Function("balanceOf", List.of(new org.web3j.abi.datatypes.Address(holder.toString())), List.of(new TypeReference<Uint256>() {}));
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
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(block.number()));
        List<Request<?, ? extends Response<String>>> calls = new ArrayList<>();
        List<Balance> keys = new ArrayList<>();
        for (Address a : nativeHolders) {
            calls.add(web3j.ethGetBalance(a.toString(), at));
            keys.add(new Balance(a, Asset.NATIVE, BigInteger.ZERO));
        }
        for (Map.Entry<Address, TreeSet<Address>> e : tokenHolders.entrySet()) {
            for (Address holder : e.getValue()) {
                String data = FunctionEncoder.encode(balanceOf(holder));
                calls.add(web3j.ethCall(Transaction.createEthCallTransaction(null, e.getKey().toString(), data), at));
                keys.add(new Balance(holder, Asset.token(e.getKey()), BigInteger.ZERO));
            }
        }
        List<RpcResult<Response<String>>> rs = rpc.batch(calls);
        List<Balance> out = new ArrayList<>(rs.size());
        for (int i = 0; i < rs.size(); i++) {
            RpcResult<Response<String>> r = rs.get(i);
            Balance k = keys.get(i);
            String hex = r.ok() ? r.response().getResult() : null;
            if (hex == null) {
                String why = r.ok() ? "no result" : RpcError.describe(r.error(), r.endpoint());
                if (k.asset().isNative()) {
                    throw new RpcException("eth_getBalance of " + k.address() + " at block " + block.number() + " failed: " + why,
                        !r.ok() && RpcError.retriable(r.error()), -1, -1, null);
                }
                log.warn("block {}: balanceOf({}) on {} failed ({}); balance left out", block.number(), k.address(), k.asset(), why);
                continue;
            }
            if (k.asset().isNative()) {
                out.add(new Balance(k.address(), k.asset(), Quantity.big(hex)));
                continue;
            }
            List<Type> word = Hex.decode(hex).length < 32 ? List.of() : FunctionReturnDecoder.decode(hex, BALANCE_OF_RESULT);
            if (word.isEmpty()) {
                log.warn("block {}: balanceOf({}) on {} returned {} bytes; balance left out", block.number(), k.address(), k.asset(), Hex.decode(hex).length);
                continue;
            }
            out.add(new Balance(k.address(), k.asset(), ((Uint256) word.get(0)).getValue()));
        }
        return out;
    }
}
