package io.taintwatch.ingest.source.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthCall;

class TokenMetadataReaderTest {
    static EthCall ok(String hex) {
        EthCall r = new EthCall();
        r.setResult(hex);
        return r;
    }

    static EthCall reverted() {
        EthCall r = new EthCall();
        r.setError(new Response.Error(3, "execution reverted"));
        return r;
    }

    @Test
    void abiStringSymbolDecodes() {
        // "USDT" as an ABI string: offset 0x20, length 4, bytes
        String usdt = "0x" + "0".repeat(62) + "20" + "0".repeat(63) + "4" + "55534454" + "0".repeat(56);
        assertThat(TokenMetadataReader.text(ok(usdt))).isEqualTo("USDT");
    }

    @Test
    void anAbiStringThatIsNotUtf8IsRefusedNotReplaced() {
        String bad = "0x" + "0".repeat(62) + "20" + "0".repeat(63) + "2" + "c328" + "0".repeat(60);
        assertThat(TokenMetadataReader.text(ok(bad))).isNull();
    }

    @Test
    void bytes32SymbolLikeMkrDecodes() {
        String mkr = "0x" + "4d4b52" + "0".repeat(58);
        assertThat(TokenMetadataReader.text(ok(mkr))).isEqualTo("MKR");
    }

    @Test
    void revertsEmptyAndGarbageGiveNull() {
        assertThat(TokenMetadataReader.text(reverted())).isNull();
        assertThat(TokenMetadataReader.text(ok("0x"))).isNull();
        assertThat(TokenMetadataReader.text(ok("0x" + "ff".repeat(32)))).isNull();
        assertThat(TokenMetadataReader.decimals(ok("0x"))).isNull();
        assertThat(TokenMetadataReader.decimals(ok("0x" + "ff".repeat(32)))).isNull();
    }

    @Test
    void decimalsFromAUint() {
        assertThat(TokenMetadataReader.decimals(ok("0x" + "0".repeat(62) + "12"))).isEqualTo(18);
        assertThat(TokenMetadataReader.text(ok("0x" + "0".repeat(64)))).isNull();
    }
}
