package io.taintwatch.alerts.api;

import io.taintwatch.alerts.cases.Principal;
import io.taintwatch.alerts.cases.Role;

/** A named user of the API: the token it presents (a secret, never printed) and its role. */
public record ApiUser(String name, String token, Role role) {
    public ApiUser {
        new Principal(name, role); // validates the name
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("the token of user '" + name + "' must have at least 16 characters");
        }
    }

    public Principal principal() {
        return new Principal(name, role);
    }

    @Override
    public String toString() {
        return "ApiUser[" + name + ", " + role.label() + ", token=***]";
    }
}
