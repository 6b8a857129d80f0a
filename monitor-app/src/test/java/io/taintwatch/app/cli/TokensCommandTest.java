package io.taintwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.replay.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensCommandTest {
    @TempDir
    Path tmp;

    @Test
    void importingTheUsersTokensListsBadEntriesCountsByStatusAndStrictImportsNothing() throws Exception {
        Path f = Files.writeString(tmp.resolve("own.csv"), "address,symbol,name,decimals,status,reason\n"
            + "0xdac17f958d2ee523a2206206994597c13d831ec7,USDT,Tether USD,6,,\n"
            + "0x0d99217c4084b141dcab56d83693994ba8fda911,ЕТН,,18,counterfeit,poisoning\n"
            + "0x1234,BAD,,18,,\n");
        Cli lenient = Cli.run("tokens", "import", f.toString(), "--format", "csv");
        assertThat(lenient.exit()).as(lenient.err()).isZero();
        assertThat(lenient.err()).contains("error: own.csv:4: invalid address '0x1234'");
        assertThat(lenient.out()).contains("own.csv (csv): 3 entries read, 2 tokens imported; 1 entry rejected", "1 verified", "1 counterfeit");

        Cli strict = Cli.run("tokens", "import", f.toString(), "--format", "csv", "--strict");
        assertThat(strict.exit()).isEqualTo(2);
        assertThat(strict.err()).contains("own.csv:4", "--strict: nothing imported");
    }

    @Test
    void anUnknownFormatOrPublishingWithoutABrokerIsRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("l.json"), "{}");
        assertThat(Cli.run("tokens", "import", f.toString(), "--format", "uniswap").err())
            .contains("unknown token format 'uniswap' (known: tokenlist, metamask, csv)");
        assertThat(Cli.run("tokens", "import", f.toString(), "--format", "tokenlist", "--publish").err())
            .contains("--publish needs --config FILE (the deployment's Kafka settings) or --bootstrap HOST:PORT");
    }
}
