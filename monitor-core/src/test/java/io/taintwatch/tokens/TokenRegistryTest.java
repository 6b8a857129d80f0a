package io.taintwatch.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.Address;
import io.taintwatch.model.Asset;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.TokenStatus;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {
    static final ChainId ETH = ChainId.ETHEREUM;
    static final Address STETH = Address.parse("0xae7ab96520de3a18e5e111b5eaab095312d7fe84");
    static final Address USDT = Address.parse("0xdac17f958d2ee523a2206206994597c13d831ec7");
    // contracts of the Bybit exploiter's poisoning (upstream hop1.csv) and made-up ones
    static final Address FAKE_ETH = Address.parse("0x0d99217c4084b141dcab56d83693994ba8fda911");
    static final Address FAKE_STETH = Address.parse("0xee33058e9fceb8ebece8bdb0e70fcb257595c562");
    static final Address OTHER = Address.parse("0x1111111111111111111111111111111111111111");

    static TokenRegistry registry() {
        TokenRegistry r = new TokenRegistry(ETH, NativeAsset.defaultFor(ETH));
        r.declare(new Token(ETH, STETH, "stETH", "Liquid staked Ether 2.0", 18, TokenStatus.VERIFIED, "", "metamask:contract-map"));
        r.declare(new Token(ETH, USDT, "USDT", "Tether USD", 6, TokenStatus.VERIFIED, "", "metamask:contract-map"));
        return r;
    }

    static Token seen(Address a, String symbol, String name) {
        return Token.observed(ETH, a, symbol, name, 18, "ingest");
    }

    static Token judge(String symbol, String name) {
        TokenRegistry r = registry();
        r.observe(seen(OTHER, symbol, name));
        return r.token(OTHER);
    }

    @Test
    void homoglyphsOfTheNativeSymbolAreCounterfeitAndTheReasonShowsTheCodePoints() {
        Token t = judge("ЕТН", "");
        assertThat(t.status()).isEqualTo(TokenStatus.COUNTERFEIT);
        assertThat(t.reason()).isEqualTo("symbol \"ЕТН\" (U+0415 U+0422 U+041D) looks like ETH, the native asset");
        assertThat(judge("ЕTH", "").reason()).startsWith("symbol \"ЕTH\" (U+0415) mixes scripts Cyrillic and Latin; ")
            .endsWith("looks like ETH, the native asset");
        assertThat(judge("EТH", "").status()).isEqualTo(TokenStatus.COUNTERFEIT);
        assertThat(judge("ЕТН...", "").reason()).contains("looks like ETH, the native asset");
    }

    @Test
    void plainAsciiEthFromAnotherContractIsCounterfeit() {
        assertThat(judge("ETH", "Ether").reason())
            .isEqualTo("symbol \"ETH\" looks like ETH, the native asset; name \"Ether\" looks like Ether, the native asset");
        assertThat(judge("WETH", "").reason()).isEqualTo("symbol \"WETH\" looks like WETH, the wrapped native asset");
    }

    @Test
    void imitationsOfAVerifiedTokenAreCounterfeitUnlessTheyAreThatContract() {
        assertThat(judge("stEТH", "").reason()).contains("looks like stETH of verified " + STETH);
        assertThat(judge("stETH", "").reason()).isEqualTo("symbol \"stETH\" looks like stETH of verified " + STETH);
        assertThat(judge("ѕтETН", "").reason()).isEqualTo("symbol \"ѕтETН\" (U+0455 U+0442 U+041D) mixes scripts Cyrillic and Latin");
        assertThat(judge("USDT-ERC20", "Tether USD").reason()).isEqualTo("name \"Tether USD\" looks like Tether USD of verified " + USDT);
        assertThat(judge("USDT\u00ad", "").reason()).isEqualTo("symbol \"USDT\u00ad\" (U+00AD) looks like USDT of verified " + USDT);
        TokenRegistry r = registry();
        r.observe(seen(STETH, "stETH", "Liquid staked Ether 2.0"));
        assertThat(r.token(STETH).status()).isEqualTo(TokenStatus.VERIFIED);
    }

    @Test
    void anUnlistedTokenWithItsOwnSymbolIsUnverifiedAndOneWithoutMetadataSaysSo() {
        assertThat(judge("cmETH", "cmETH").status()).isEqualTo(TokenStatus.UNVERIFIED);
        assertThat(judge("cmETH", "cmETH").reason()).isEmpty();
        assertThat(judge("日本円", "").status()).isEqualTo(TokenStatus.UNVERIFIED);
        Token unknown = registry().token(OTHER);
        assertThat(unknown.status()).isEqualTo(TokenStatus.UNVERIFIED);
        assertThat(unknown.reason()).isEqualTo("no metadata");
    }

    @Test
    void theNativeAssetAndItsWrappedFormAreVerified() {
        TokenRegistry r = registry();
        assertThat(r.status(Asset.NATIVE)).isEqualTo(TokenStatus.VERIFIED);
        assertThat(r.token(NativeAsset.MAINNET_WETH).status()).isEqualTo(TokenStatus.VERIFIED);
        assertThat(r.token(NativeAsset.MAINNET_WETH).symbol()).isEqualTo("WETH");
    }

    @Test
    void aDeclaredStatusOverridesDetectionAndTheVerdictDoesNotDependOnArrivalOrder() {
        TokenRegistry early = new TokenRegistry(ETH, NativeAsset.defaultFor(ETH));
        early.observe(seen(FAKE_STETH, "stETH", ""));
        assertThat(early.token(FAKE_STETH).status()).isEqualTo(TokenStatus.UNVERIFIED);
        early.declare(new Token(ETH, STETH, "stETH", "Liquid staked Ether 2.0", 18, TokenStatus.VERIFIED, "", "list"));
        TokenRegistry late = registry();
        late.observe(seen(FAKE_STETH, "stETH", ""));
        assertThat(early.token(FAKE_STETH)).isEqualTo(late.token(FAKE_STETH));
        assertThat(early.token(FAKE_STETH).status()).isEqualTo(TokenStatus.COUNTERFEIT);

        early.declare(new Token(ETH, FAKE_STETH, "stETH", "", 18, TokenStatus.UNVERIFIED, "our own test token", "csv:own.csv"));
        assertThat(early.token(FAKE_STETH).status()).isEqualTo(TokenStatus.UNVERIFIED);
        assertThat(early.undeclare(FAKE_STETH)).isTrue();
        assertThat(early.token(FAKE_STETH).status()).isEqualTo(TokenStatus.COUNTERFEIT);
        assertThat(early.undeclare(STETH)).isTrue();
        assertThat(early.token(FAKE_STETH).status()).isEqualTo(TokenStatus.UNVERIFIED);
    }

    @Test
    void tokensOfAnotherChainAndCounterfeitsWithoutAReasonAreRefused() {
        assertThatThrownBy(() -> registry().observe(Token.observed(new ChainId(56, "bsc"), OTHER, "BNB", "", 18, "ingest")))
            .hasMessage("token bsc:" + OTHER + " is not of chain ethereum");
        assertThatThrownBy(() -> new Token(ETH, OTHER, "X", "", 18, TokenStatus.COUNTERFEIT, " ", ""))
            .hasMessage("token " + OTHER + ": a counterfeit token needs a reason");
    }
}
