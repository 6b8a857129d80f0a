package io.taintwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.embedded.Anvil;
import io.taintwatch.embedded.EmbeddedKafka;
import io.taintwatch.embedded.devnet.Devnet;
import io.taintwatch.embedded.devnet.Devnet.Tx;
import io.taintwatch.encoding.BlockCodec;
import io.taintwatch.ingest.publish.KafkaSinkConfig;
import io.taintwatch.model.Block;
import io.taintwatch.model.ChainId;
import java.io.File;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * End to end with real peers: an ingest process following anvil into a real broker is killed with SIGKILL while
 * blocks keep coming; a new process resumes from the checkpoint, and the topic holds every block exactly once.
 */
class IngestCrashIT {
    static final String CHAIN = "crash";

    static Process launch(String bootstrap, String rpc, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            IngestProcessMain.class.getName(), bootstrap, rpc, CHAIN);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    static List<Long> published(String bootstrap) {
        return TopicReader.readAll(bootstrap, new ChainId(31337, CHAIN).blocksTopic()).stream()
            .map(r -> BlockCodec.decode(r.value()).number()).toList();
    }

    @Test
    void killedWorkerResumesAndEveryBlockIsPublishedExactlyOnce() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("ingest-crash");
        try (Anvil anvil = Anvil.start(); EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Devnet devnet = Devnet.connect(anvil);
            List<Credentials> accts = devnet.devAccounts();
            String bootstrap = kafka.bootstrapServers();
            for (int i = 0; i < 10; i++) {
                devnet.transact(Tx.transfer(accts.get(i % 5), Devnet.address(accts.get(5 + i % 5)), BigInteger.valueOf(1_000 + i)), "warm-up");
            }
            Process first = launch(bootstrap, anvil.rpcUrl(), dir.resolve("first.log"));
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> published(bootstrap).size() >= 5 || !first.isAlive());
            assertThat(first.isAlive()).as("first ingest process is running (see " + dir.resolve("first.log") + ")").isTrue();
            // blocks keep coming while the process is killed without a chance to clean up
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(devnet.transact(Tx.transfer(accts.get(i % 5), Devnet.address(accts.get(5 + i % 5)), BigInteger.valueOf(2_000 + i)), "during").getTransactionHash());
            }
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long beforeRestart = published(bootstrap).size();
            for (int i = 0; i < 5; i++) {
                devnet.transact(Tx.transfer(accts.get(i), Devnet.address(accts.get(5 + i)), BigInteger.valueOf(3_000 + i)), "after");
            }
            long head = anvil.blockNumber();
            Process second = launch(bootstrap, anvil.rpcUrl(), dir.resolve("second.log"));
            try {
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> published(bootstrap).size() >= head || !second.isAlive());
                assertThat(second.isAlive()).as("second ingest process is running (see " + dir.resolve("second.log") + ")").isTrue();
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            List<Long> numbers = published(bootstrap);
            assertThat(numbers).startsWith(LongStream.rangeClosed(1, head).boxed().toArray(Long[]::new));
            assertThat(numbers).doesNotHaveDuplicates();
            assertThat(beforeRestart).isLessThan(head);
            List<Block> blocks = TopicReader.readAll(bootstrap, new ChainId(31337, CHAIN).blocksTopic()).stream().map(r -> BlockCodec.decode(r.value())).toList();
            // the legs survived the crash too: every transaction sent appears in its block
            for (String h : sent) {
                assertThat(blocks).anySatisfy(b -> assertThat(b.legs()).anySatisfy(l -> assertThat(l.txHash().toString()).isEqualTo(h)));
            }
        } finally {
            for (File f : dir.toFile().listFiles()) {
                f.delete();
            }
            dir.toFile().delete();
        }
    }
}
