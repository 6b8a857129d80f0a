package io.taintwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.app.replay.Cli;
import io.taintwatch.app.replay.EtlFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags, unreadable files, unreachable nodes: one line naming the problem, exit 2 (user) or 1 (runtime). */
class CliErrorsTest {
    @TempDir
    Path tmp;

    private static void oneLine(Cli r, int exit, String... contains) {
        assertThat(r.exit()).as("exit; stderr: %s", r.err()).isEqualTo(exit);
        String err = r.err().strip();
        assertThat(err.lines()).as(err).hasSize(1);
        assertThat(err).startsWith("taintwatch: ").contains(contains);
    }

    private Path seeds() throws IOException {
        return EtlFixture.seeds(tmp);
    }

    @Test
    void missingEtlDirectory() throws IOException {
        oneLine(Cli.run("replay", "--etl", tmp.resolve("nope").toString(), "--seeds", seeds().toString(), "--out", tmp.resolve("o").toString()),
            2, "--etl", "nope", "no such directory");
    }

    @Test
    void missingSeedsFile() throws IOException {
        Path etl = EtlFixture.export(tmp);
        oneLine(Cli.run("replay", "--etl", etl.toString(), "--seeds", tmp.resolve("none.csv").toString(), "--out", tmp.resolve("o").toString()),
            2, "--seeds", "none.csv", "no such readable file");
    }

    @Test
    void badSeedRowNamesFileAndLine() throws IOException {
        Path etl = EtlFixture.export(tmp);
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "address,source_id,category,reference\n0x12,hack,theft,x\n");
        oneLine(Cli.run("replay", "--etl", etl.toString(), "--seeds", bad.toString(), "--out", tmp.resolve("o").toString()),
            2, "--seeds", "bad.csv:2");
    }

    @Test
    void badPolicyAndSourceChoice() throws IOException {
        Path etl = EtlFixture.export(tmp);
        oneLine(Cli.run("replay", "--etl", etl.toString(), "--seeds", seeds().toString(), "--out", tmp.resolve("o").toString(), "--policy", "lifo"),
            2, "--policy lifo", "haircut, poison or fifo");
        oneLine(Cli.run("replay", "--etl", etl.toString(), "--rpc", "http://127.0.0.1:1", "--seeds", seeds().toString(), "--out",
            tmp.resolve("o").toString()), 2, "exactly one block source");
        oneLine(Cli.run("replay", "--rpc", "http://127.0.0.1:1", "--seeds", seeds().toString(), "--out", tmp.resolve("o").toString()),
            2, "--from and --to are required");
        oneLine(Cli.run("replay", "--etl", etl.toString(), "--seeds", seeds().toString(), "--out", tmp.resolve("o").toString(), "--dust", "1e12"),
            2, "--dust 1e12");
    }

    @Test
    void unknownFlagIsAUsageError() {
        Cli r = Cli.run("replay", "--seeds", "s.csv", "--out", "o", "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().findFirst()).hasValueSatisfying(l -> assertThat(l).contains("Unknown option: '--bogus'"));
    }

    @Test
    void unreachableNodeIsARuntimeFailure() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        oneLine(Cli.run("replay", "--rpc", "http://127.0.0.1:" + port, "--from", "1", "--to", "2", "--seeds", seeds().toString(), "--out",
            tmp.resolve("o").toString(), "--quiet"), 1, "cannot reach the node at", "check --rpc");
    }

    @Test
    void labelsImportErrors() throws IOException {
        oneLine(Cli.run("labels", "import", tmp.resolve("x.xml").toString(), "--format", "ofac-xml"), 2, "x.xml", "no such readable file");
        Path f = Files.writeString(tmp.resolve("l.csv"), "address,category,name\n");
        oneLine(Cli.run("labels", "import", f.toString(), "--format", "yaml"), 2, "unknown label format 'yaml'");
        oneLine(Cli.run("labels", "import", f.toString(), "--format", "csv", "--publish"), 2, "--publish needs --config FILE (the deployment's Kafka settings) or --bootstrap HOST:PORT");
    }
}
