package io.taintwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.embedded.devnet.LaunderingStory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The demo as CI runs it: a real broker, a real anvil, the whole pipeline live. Every laundering step into a
 * mixer, bridge or exchange deposit must produce an alert, no bystander may be the subject of one, and of the address
 * poisoner's lookalikes none may be reached by taint and each must be flagged.
 */
class DemoIT {
    @Test
    void theDemoCatchesEveryLaunderingStepFlagsNoBystanderAndFollowsNoForgedTransfer() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        DemoRunner.Options o = new DemoRunner.Options(LaunderingStory.Config.defaults(), 0, 0, out, Duration.ZERO);
        DemoRunner.Result r = new DemoRunner(o).run();
        String printed = buf.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(r.missed()).as("laundering steps without an alert").isEmpty();
        assertThat(r.falseAlerts()).as("bystanders with an alert").isEmpty();
        // the story's terminal deliveries: 6 mixer deposits, 2 bridge deposits, 4 exchange deposits
        assertThat(r.caught()).hasSize(12);
        assertThat(r.caught()).filteredOn(l -> l.contains("(mixer)")).hasSize(6);
        assertThat(r.caught()).filteredOn(l -> l.contains("(bridge)")).hasSize(2);
        assertThat(r.caught()).filteredOn(l -> l.contains("(exchange-deposit)")).hasSize(4);
        assertThat(r.bystanders()).isGreaterThan(250);
        // five forged ЕТН transfers and two zero-value WETH transfers, each to its own lookalike
        assertThat(r.lookalikes()).isEqualTo(7);
        assertThat(r.followed()).as("lookalikes taint reached").isEmpty();
        assertThat(r.unflagged()).as("lookalikes without an address-poisoning alert").isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(printed).contains("[ALERT").contains("tainted-to-mixer").contains("tainted-to-bridge").contains("tainted-to-exchange")
            .contains("path from").contains("address-poisoning").contains("not followed: ")
            .contains("followed by taint: 0 of 7 (not followed, by reason: {unbacked=5}").contains("flagged as lookalikes (address-poisoning): 7 of 7")
            .contains("demo result: every laundering step caught, no bystander flagged, no lookalike followed, every lookalike flagged")
            .containsPattern("webhook: [1-9][0-9]* signed deliveries received, 0 with a bad signature");
    }
}
