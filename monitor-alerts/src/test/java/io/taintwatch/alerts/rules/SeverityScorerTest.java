package io.taintwatch.alerts.rules;

import io.taintwatch.model.Asset;
import io.taintwatch.model.Category;
import io.taintwatch.model.ChainId;
import io.taintwatch.model.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SeverityScorerTest {
    private final SeverityScorer scorer = new SeverityScorer(new SeverityConfig(4, 7, Map.of("native", BigInteger.valueOf(1000))));

    @ParameterizedTest(name = "{0} -> {1} share {2}ppm hop {3} amount {4}: {5}")
    @CsvSource({
        // source, recipient, share ppm, hop, tainted, expected      (score: src + rcpt + share + hop + amount)
        "sanctions, mixer,            1000000, 1, 1000, HIGH",   // 3+2+2+2+1 = 10, capped at high for other services
        "sanctions, exchange-deposit, 500000,  2, 10,   HIGH",   // 3+2+2+1+0 = 8
        "theft,     exchange-deposit, 100000,  3, 10,   MEDIUM", // 2+2+1+1+0 = 6, below highAt 7
        "theft,     exchange,         100000,  3, 10,   MEDIUM", // 2+1+1+1+0 = 5
        "theft,     bridge,           1000,    6, 10,   LOW",    // 2+1+0+0+0 = 3
        "scam,      exchange,         50000,   4, 10,   LOW",    // 1+1+0+0+0 = 2
        "scam,      mixer,            600000,  1, 2000, HIGH",   // 1+2+2+2+1 = 8
        "phishing,  exchange,         600000,  5, 10,   MEDIUM", // 1+1+2+0+0 = 4
    })
    void arrivalsAtOtherServicesAreScoredAndCappedAtHigh(String src, String rcpt, long ppm, int hop, long tainted, String expected) {
        Scored s = scorer.arrival(Category.fromLabel(src), Category.fromLabel(rcpt), ppm, hop, ChainId.ETHEREUM, Asset.NATIVE,
            BigInteger.valueOf(tainted));
        assertThat(s.severity()).isEqualTo(Severity.valueOf(expected));
        assertThat(s.reasons()).anyMatch(r -> r.startsWith("source category " + src))
            .anyMatch(r -> r.startsWith("recipient category " + rcpt)).anyMatch(r -> r.startsWith("score "));
    }

    @Test
    void pointTablesMatchTheDocumentedValues() {
        assertThat(SeverityScorer.sourcePoints(Category.SANCTIONS)).isEqualTo(3);
        assertThat(SeverityScorer.sourcePoints(Category.TERRORISM_FINANCING)).isEqualTo(3);
        assertThat(SeverityScorer.sourcePoints(Category.THEFT)).isEqualTo(2);
        assertThat(SeverityScorer.sourcePoints(Category.RANSOMWARE)).isEqualTo(2);
        assertThat(SeverityScorer.sourcePoints(Category.SCAM)).isEqualTo(1);
        assertThat(SeverityScorer.sourcePoints(null)).isZero();
        assertThat(SeverityScorer.recipientPoints(Category.MIXER)).isEqualTo(2);
        assertThat(SeverityScorer.recipientPoints(Category.EXCHANGE_DEPOSIT)).isEqualTo(2);
        assertThat(SeverityScorer.recipientPoints(Category.BRIDGE)).isEqualTo(1);
        assertThat(SeverityScorer.recipientPoints(Category.EXCHANGE_HOT_WALLET)).isEqualTo(1);
        assertThat(SeverityScorer.sharePoints(500_000)).isEqualTo(2);
        assertThat(SeverityScorer.sharePoints(499_999)).isEqualTo(1);
        assertThat(SeverityScorer.sharePoints(100_000)).isEqualTo(1);
        assertThat(SeverityScorer.sharePoints(99_999)).isZero();
        assertThat(SeverityScorer.hopPoints(1)).isEqualTo(2);
        assertThat(SeverityScorer.hopPoints(3)).isEqualTo(1);
        assertThat(SeverityScorer.hopPoints(4)).isZero();
    }

    @Test
    void ownDepositIsAlwaysSevereWithHoldTheCredit() {
        Scored s = scorer.ownDeposit(Category.SCAM, 1, 6);
        assertThat(s.severity()).isEqualTo(Severity.SEVERE);
        assertThat(s.recommendedAction()).startsWith("hold the credit");
    }

    @Test
    void directExposureIsHighAndSevereWhenTheCounterpartyIsOurs() {
        assertThat(scorer.direct(false, false).severity()).isEqualTo(Severity.HIGH);
        assertThat(scorer.direct(true, true).severity()).isEqualTo(Severity.SEVERE);
        assertThat(scorer.direct(true, true).recommendedAction()).contains("freeze");
    }

    @ParameterizedTest
    @CsvSource({"sanctioned, sanctions, SEVERE", "mixer, mixer, HIGH", "tracked, sanctions, HIGH", "tracked, theft, MEDIUM",
        "watchlist, scam, MEDIUM"})
    void outgoingExposureByWhatWasPaid(String exposure, String category, String expected) {
        assertThat(scorer.outgoing(exposure, Category.fromLabel(category)).severity()).isEqualTo(Severity.valueOf(expected));
    }

    @ParameterizedTest
    @CsvSource({"sanctions, 1, HIGH", "theft, 1, MEDIUM", "theft, 5000, HIGH", "scam, 1, LOW", "scam, 1000, MEDIUM"})
    void watchlistMovementBySourceCategoryAndAmount(String category, long amount, String expected) {
        assertThat(scorer.movement(Category.fromLabel(category), ChainId.ETHEREUM, Asset.NATIVE, BigInteger.valueOf(amount)).severity())
            .isEqualTo(Severity.valueOf(expected));
    }
}
