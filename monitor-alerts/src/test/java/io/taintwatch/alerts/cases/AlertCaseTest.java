package io.taintwatch.alerts.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taintwatch.model.AlertStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertCaseTest {
    private static final String ID = "devnet:tainted-to-mixer:0123456789abcdef0123456789abcdef";
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    private static CaseEvent ev(long seq, CaseAction a, String actor, long version, String assignee, Disposition d, String comment) {
        return new CaseEvent("event-" + seq + "-" + a.label(), ID, seq, a, actor, Role.ANALYST, T.plusSeconds(seq), version, assignee, d, comment);
    }

    @Test
    void acknowledgeAssignCloseFoldsIntoAClosedCaseWithItsDispositionAndTrail() {
        AlertCase c = AlertCase.none(ID)
            .apply(ev(1, CaseAction.ACKNOWLEDGE, "alice", 2, null, null, null))
            .apply(ev(2, CaseAction.ASSIGN, "alice", 2, "bob", null, null))
            .apply(ev(3, CaseAction.CLOSE, "bob", 2, null, Disposition.FALSE_POSITIVE, "a bystander's payment"));
        assertThat(c.status()).isEqualTo(AlertStatus.CLOSED);
        assertThat(c.assignee()).isEqualTo("bob");
        assertThat(c.disposition()).isEqualTo(Disposition.FALSE_POSITIVE);
        assertThat(c.closedAtVersion()).isEqualTo(2);
        assertThat(c.firstActionAt()).isEqualTo(T.plusSeconds(1));
        assertThat(c.events()).extracting(CaseEvent::actor).containsExactly("alice", "alice", "bob");
    }

    @Test
    void anEventClaimingAStepAlreadyTakenIsRejected() {
        AlertCase c = AlertCase.none(ID).apply(ev(1, CaseAction.ACKNOWLEDGE, "alice", 1, null, null, null));
        assertThatThrownBy(() -> c.apply(ev(1, CaseAction.ESCALATE, "bob", 1, null, null, null)))
            .isInstanceOf(AlertCase.Rejected.class).hasMessageContaining("changed meanwhile");
    }

    @Test
    void aClosedCaseTakesNoDecisionUntilReopenedButTakesNotes() {
        AlertCase closed = AlertCase.none(ID).apply(ev(1, CaseAction.CLOSE, "alice", 1, null, Disposition.DUPLICATE, "same as the other"));
        assertThatThrownBy(() -> closed.apply(ev(2, CaseAction.ESCALATE, "bob", 1, null, null, null))).hasMessageContaining("closed");
        AlertCase noted = closed.apply(ev(2, CaseAction.NOTE, "bob", 1, null, null, "checked again"));
        assertThat(noted.status()).isEqualTo(AlertStatus.CLOSED);
        AlertCase reopened = noted.apply(ev(3, CaseAction.REOPEN, CaseEvent.SYSTEM, 2, null, null, "version 2 arrived"));
        assertThat(reopened.status()).isEqualTo(AlertStatus.OPEN);
        assertThat(reopened.disposition()).isNull();
    }

    @Test
    void closingNeedsADispositionAndAReason() {
        assertThatThrownBy(() -> AlertCase.none(ID).apply(ev(1, CaseAction.CLOSE, "alice", 1, null, null, "why"))).hasMessageContaining("disposition");
        assertThatThrownBy(() -> AlertCase.none(ID).apply(ev(1, CaseAction.CLOSE, "alice", 1, null, Disposition.KNOWN_BENIGN, " ")))
            .hasMessageContaining("reason");
    }

    @Test
    void aNewerVersionOfAClosedAlertIsOpenBeforeTheReopenEventIsRead() {
        AlertCase closed = AlertCase.none(ID).apply(ev(1, CaseAction.CLOSE, "alice", 3, null, Disposition.FALSE_POSITIVE, "fine"));
        assertThat(closed.statusFor(3)).isEqualTo(AlertStatus.CLOSED);
        assertThat(closed.statusFor(4)).isEqualTo(AlertStatus.OPEN);
    }

    @Test
    void anEventSurvivesItsJsonRoundTrip() {
        CaseEvent e = ev(3, CaseAction.CLOSE, "bob", 2, null, Disposition.CONFIRMED_LAUNDERING, "line one\nline two <b>");
        assertThat(CaseEvent.parse(e.toBytes())).isEqualTo(e);
        assertThatThrownBy(() -> CaseEvent.parse("{\"schemaVersion\":1,\"eventId\":\"x\"}".getBytes())).isInstanceOf(IllegalArgumentException.class);
    }
}
