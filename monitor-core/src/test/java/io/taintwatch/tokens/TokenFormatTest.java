package io.taintwatch.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.labels.ImportException;
import io.taintwatch.labels.ImportMode;
import io.taintwatch.model.Address;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.TokenStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFormatTest {
    static final Address USDT = Address.parse("0xdac17f958d2ee523a2206206994597c13d831ec7");
    static final Address STETH = Address.parse("0xae7ab96520de3a18e5e111b5eaab095312d7fe84");

    @TempDir
    Path dir;

    Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static final String TOKEN_LIST = """
        {"name": "Uniswap Labs Default", "timestamp": "2026-09-23T18:08:46.961Z",
         "version": {"major": 22, "minor": 21, "patch": 0},
         "tokens": [
          {"chainId": 1, "address": "0xdAC17F958D2ee523a2206206994597C13D831ec7", "name": "Tether USD", "symbol": "USDT", "decimals": 6,
           "extensions": {"bridgeInfo": {"10": {"tokenAddress": "0x94b008aA00579c1307B0EF2c499aD98a8ce58e58"}}}},
          {"chainId": 10, "address": "0x94b008aA00579c1307B0EF2c499aD98a8ce58e58", "name": "Tether USD", "symbol": "USDT", "decimals": 6},
          {"chainId": 1, "address": "0xdAC17F958D2ee523a2206206994597C13D831ec8", "name": "Bad checksum", "symbol": "BAD", "decimals": 6},
          {"chainId": 1, "address": "0xae7ab96520de3a18e5e111b5eaab095312d7fe84", "name": "stETH", "symbol": "stETH", "decimals": 18}
         ]}
        """;

    @Test
    void aTokenListGivesTheVerifiedTokensOfTheChainAndNamesTheBadEntryByLine() throws IOException {
        TokenImport r = TokenFormat.TOKENLIST.read(file("list.json", TOKEN_LIST), ChainId.ETHEREUM, ImportMode.LENIENT);

        assertThat(r.tokens()).containsExactly(
            new Token(ChainId.ETHEREUM, USDT, "USDT", "Tether USD", 6, TokenStatus.VERIFIED, "", "tokenlist:Uniswap Labs Default 22.21.0"),
            new Token(ChainId.ETHEREUM, STETH, "stETH", "stETH", 18, TokenStatus.VERIFIED, "", "tokenlist:Uniswap Labs Default 22.21.0"));
        assertThat(r.errors()).singleElement().hasToString("list.json:7: tokens[2]: invalid address"
            + " '0xdAC17F958D2ee523a2206206994597C13D831ec8': EIP-55 checksum mismatch (expected 0xdaC17F958d2Ee523a2206206994597c13D831EC8)");
        assertThat(r.skipped()).containsEntry("token of another chain (chain id 10)", 1);
        assertThatThrownBy(() -> TokenFormat.TOKENLIST.read(file("list.json", TOKEN_LIST), ChainId.ETHEREUM, ImportMode.STRICT))
            .isInstanceOf(ImportException.class).hasMessageStartingWith("list.json: 1 error, nothing imported");
    }

    @Test
    void metamasksContractMapGivesItsTokensAndSkipsOtherContractsAndOnlyServesMainnet() throws IOException {
        Path map = dir.resolve("contract-map.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(map))) {
            out.write("""
                {"0xdAC17F958D2ee523a2206206994597C13D831ec7": {"name": "Tether USD", "logo": "tether.svg", "erc20": true, "symbol": "USDT", "decimals": 6},
                 "0x314159265dD8dbb310642f98f50C066173C1259b": {"name": "ENS Registry", "logo": "ens.svg"}}
                """.getBytes(StandardCharsets.UTF_8));
        }
        TokenImport r = TokenFormat.METAMASK.read(map, ChainId.ETHEREUM, ImportMode.STRICT);
        assertThat(r.tokens()).extracting(Token::address, Token::symbol, Token::source).containsExactly(
            org.assertj.core.groups.Tuple.tuple(USDT, "USDT", "metamask:contract-map"));
        assertThat(r.skipped()).containsEntry("contract that is not a token (no erc20/erc721 flag or no symbol)", 1);
        assertThatThrownBy(() -> TokenFormat.METAMASK.read(map, new ChainId(56, "bsc"), ImportMode.LENIENT))
            .hasMessage("contract-map.json.gz:1: MetaMask's contract-map.json lists Ethereum mainnet (chain id 1) contracts, not chain 56 (bsc)");
    }

    @Test
    void theUsersCsvDeclaresAnyStatusAndACounterfeitNeedsAReason() throws IOException {
        Path csv = file("own.csv", """
            # our own tokens
            address,symbol,name,decimals,status,reason
            0xdac17f958d2ee523a2206206994597c13d831ec7,USDT,"Tether USD, the real one",6,,
            0x0d99217c4084b141dcab56d83693994ba8fda911,ЕТН,,18,counterfeit,poisoning of the Bybit exploiter
            0x1111111111111111111111111111111111111111,ETH,,18,unverified,our L2 bridge's ETH
            0x2222222222222222222222222222222222222222,X,,18,counterfeit,
            0x3333333333333333333333333333333333333333,Y,,eighteen,,
            0x4444444444444444444444444444444444444444,Z,,18,maybe,
            """);
        TokenImport r = TokenFormat.CSV.read(csv, ChainId.ETHEREUM, ImportMode.LENIENT);

        assertThat(r.tokens()).extracting(Token::symbol, Token::status, Token::reason).containsExactly(
            org.assertj.core.groups.Tuple.tuple("USDT", TokenStatus.VERIFIED, ""),
            org.assertj.core.groups.Tuple.tuple("ЕТН", TokenStatus.COUNTERFEIT, "poisoning of the Bybit exploiter"),
            org.assertj.core.groups.Tuple.tuple("ETH", TokenStatus.UNVERIFIED, "our L2 bridge's ETH"));
        assertThat(r.tokens().get(0).name()).isEqualTo("Tether USD, the real one");
        assertThat(r.tokens().get(0).source()).isEqualTo("csv:own.csv");
        assertThat(r.errors()).extracting(Object::toString).containsExactly(
            "own.csv:6: token 0x2222222222222222222222222222222222222222: a counterfeit token needs a reason",
            "own.csv:7: decimals 'eighteen' is not an integer 0..77",
            "own.csv:8: unknown token status 'maybe' (known: verified, unverified, counterfeit)");
    }

    @Test
    void aFileThatIsNotOfItsFormatIsNamedWithItsLine() throws IOException {
        assertThatThrownBy(() -> TokenFormat.TOKENLIST.read(file("x.json", "{\"name\": \"x\",\n \"tokens\": [ {\"chainId\": 1,"), ChainId.ETHEREUM,
            ImportMode.LENIENT)).isInstanceOf(ImportException.class).hasMessageStartingWith("x.json:2: not valid JSON");
        assertThatThrownBy(() -> TokenFormat.TOKENLIST.read(file("y.json", "{\"name\": \"x\"}"), ChainId.ETHEREUM, ImportMode.LENIENT))
            .hasMessage("y.json:1: no \"tokens\" array: not a Token List");
        assertThatThrownBy(() -> TokenFormat.CSV.read(file("z.csv", "address,symbol\n0x11,A\n"), ChainId.ETHEREUM, ImportMode.LENIENT))
            .hasMessageStartingWith("z.csv:1: missing column 'name'");
    }
}
