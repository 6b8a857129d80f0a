package io.taintwatch.alerts.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.taintwatch.alerts.cases.Principal;
import io.taintwatch.alerts.cases.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerAuthRolesTest {
    private static final String PLAIN = "plain-token-0123456789";
    private static final String ALICE = "alice-token-0123456789";

    @Test
    void aPlainTokenIsAViewerNamedByItsDigestAndAUserTokenCarriesItsNameAndRole() {
        BearerAuth auth = new BearerAuth(List.of(PLAIN), List.of(new ApiUser("alice", ALICE, Role.ANALYST)));
        Principal viewer = auth.identify("Bearer " + PLAIN).orElseThrow();
        assertThat(viewer.role()).isEqualTo(Role.VIEWER);
        assertThat(viewer.name()).matches("token:[0-9a-f]{8}").isEqualTo(BearerAuth.plainName(PLAIN)).doesNotContain("plain");
        assertThat(auth.identify("Bearer " + ALICE).orElseThrow()).isEqualTo(new Principal("alice", Role.ANALYST));
        assertThat(auth.identify("Bearer " + ALICE + "x")).isEmpty();
        assertThat(auth.identify(null)).isEmpty();
    }
}
