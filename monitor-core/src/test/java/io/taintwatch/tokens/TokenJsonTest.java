package io.taintwatch.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.TokenStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenJsonTest {
    static final Address FAKE = Address.parse("0x0d99217c4084b141dcab56d83693994ba8fda911");

    @Test
    void aDeclaredTokenIsWrittenInAFixedKeyOrderAndReadBackEqual() {
        Token t = new Token(ChainId.ETHEREUM, FAKE, "ЕТН", "", null, TokenStatus.COUNTERFEIT, "poisoning", "csv:own.csv");
        String json = new String(TokenJson.bytes(t), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"chain\":\"ethereum\",\"chain_id\":1,\"address\":\"" + FAKE + "\",\"symbol\":\"ЕТН\",\"name\":\"\","
            + "\"decimals\":null,\"status\":\"counterfeit\",\"reason\":\"poisoning\",\"source\":\"csv:own.csv\"}");
        assertThat(TokenJson.parse(TokenJson.bytes(t))).isEqualTo(t);
    }

    @Test
    void parsingIsStrictAndNamesTheToken() {
        assertThatThrownBy(() -> TokenJson.parse(("{\"chain\":\"ethereum\",\"chain_id\":1,\"address\":\"" + FAKE
            + "\",\"status\":\"verified\",\"decimal\":6}").getBytes()))
            .hasMessageStartingWith("token has unknown field 'decimal'");
        assertThatThrownBy(() -> TokenJson.parse(("{\"chain\":\"ethereum\",\"chain_id\":1,\"address\":\"" + FAKE
            + "\",\"status\":\"counterfeit\"}").getBytes()))
            .hasMessage("token " + FAKE + ": a counterfeit token needs a reason");
        assertThatThrownBy(() -> TokenJson.parse(("{\"chain\":\"ethereum\",\"chain_id\":1,\"address\":\"" + FAKE
            + "\",\"status\":\"verified\",\"decimals\":78}").getBytes()))
            .hasMessage("token " + FAKE + ": decimals must be an integer 0..77 or null, got 78");
    }

    @Test
    void ingestsMetadataReadsAsAnObservedTokenOrTheNativeAsset() {
        Token t = TokenJson.parseObserved(("{\"chain\":\"ethereum\",\"chainId\":1,\"token\":\"" + FAKE
            + "\",\"symbol\":\"ЕТН\",\"name\":null,\"decimals\":18}").getBytes(StandardCharsets.UTF_8));
        assertThat(t).isEqualTo(Token.observed(ChainId.ETHEREUM, FAKE, "ЕТН", "", 18, "ingest"));
        byte[] nativeJson = "{\"chain\":\"ethereum\",\"chainId\":1,\"token\":\"native\",\"symbol\":\"ETH\",\"name\":null,\"decimals\":18}"
            .getBytes(StandardCharsets.UTF_8);
        assertThat(TokenJson.parseObserved(nativeJson)).isNull();
        TokenJson.NativeMetadata n = TokenJson.observedNative(nativeJson);
        assertThat(n).isEqualTo(new TokenJson.NativeMetadata(ChainId.ETHEREUM, "ETH", "", 18));
        assertThat(TokenJson.observedNative(TokenJson.nativeBytes(n))).isEqualTo(n);
    }
}
