package io.taintwatch.ingest.source.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.taintwatch.model.Hex;
import org.junit.jupiter.api.Test;

class TokenMetadataReaderTest {
    static RpcResult ok(String hex) {
        return new RpcResult(RpcCall.of("eth_call"), TextNode.valueOf(hex), null);
    }

    @Test
    void abiStringSymbolDecodes() {
        // "USDT" as an ABI string: offset 0x20, length 4, bytes
        String usdt = "0x" + "0".repeat(62) + "20" + "0".repeat(63) + "4" + "55534454" + "0".repeat(56);
        assertThat(TokenMetadataReader.text(ok(usdt))).isEqualTo("USDT");
    }

    @Test
    void bytes32SymbolLikeMkrDecodes() {
        String mkr = "0x" + "4d4b52" + "0".repeat(58);
        assertThat(TokenMetadataReader.text(ok(mkr))).isEqualTo("MKR");
    }

    @Test
    void revertsEmptyAndGarbageGiveNull() {
        assertThat(TokenMetadataReader.text(new RpcResult(RpcCall.of("eth_call"), null, new RpcError(3, "execution reverted", null)))).isNull();
        assertThat(TokenMetadataReader.text(ok("0x"))).isNull();
        assertThat(TokenMetadataReader.text(ok("0x" + "ff".repeat(32)))).isNull();
        assertThat(TokenMetadataReader.decimals(ok("0x"))).isNull();
        assertThat(TokenMetadataReader.decimals(ok("0x" + "ff".repeat(32)))).isNull();
    }

    @Test
    void decimalsFromAUint() {
        assertThat(TokenMetadataReader.decimals(ok("0x" + "0".repeat(62) + "12"))).isEqualTo(18);
        assertThat(TokenMetadataReader.decodeText(Hex.decode("0x" + "0".repeat(64)))).isNull();
    }
}
