package io.taintwatch.alerts.api;

import io.taintwatch.alerts.cases.Principal;
import io.taintwatch.alerts.cases.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bearer-token check in constant time: tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * so neither content nor length leaks through timing, and every configured token is compared on every request.
 * Each token names who presents it: a named user with its role, or, for a plain token, a viewer called
 * {@code token:<first 8 hex digits of the token's SHA-256>} (enough to tell tokens apart in a log, nothing to guess
 * one from). No configured token means every request is refused.
 */
public final class BearerAuth {
    private record Known(byte[] digest, Principal principal) {}

    private final List<Known> known = new ArrayList<>();

    public BearerAuth(List<String> tokens) {
        this(tokens, List.of());
    }

    public BearerAuth(List<String> tokens, List<ApiUser> users) {
        for (String t : tokens) {
            byte[] d = digest(t);
            known.add(new Known(d, new Principal(plainName(d), Role.VIEWER)));
        }
        for (ApiUser u : users) {
            known.add(new Known(digest(u.token()), u.principal()));
        }
    }

    /** The name a plain token acts under. */
    public static String plainName(String token) {
        return plainName(digest(token));
    }

    private static String plainName(byte[] digest) {
        return "token:" + HexFormat.of().formatHex(digest, 0, 4);
    }

    /** True if the {@code Authorization} header carries one of the tokens. */
    public boolean allows(String authorizationHeader) {
        return identify(authorizationHeader).isPresent();
    }

    /** Who presents the {@code Authorization} header's token, if anyone known. */
    public Optional<Principal> identify(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] given = digest(authorizationHeader.substring(7).strip());
        Principal match = null;
        for (Known k : known) {
            if (MessageDigest.isEqual(k.digest(), given)) {
                match = k.principal();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
