package io.taintwatch.alerts.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer-token check in constant time: tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * so neither content nor length leaks through timing, and every configured token is compared on every request.
 * No configured token means every request is refused.
 */
public final class BearerAuth {
    private final List<byte[]> digests;

    public BearerAuth(List<String> tokens) {
        this.digests = tokens.stream().map(BearerAuth::digest).toList();
    }

    /** True if the {@code Authorization} header carries one of the tokens. */
    public boolean allows(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = digest(authorizationHeader.substring(7).strip());
        boolean ok = false;
        for (byte[] d : digests) {
            ok |= MessageDigest.isEqual(d, given);
        }
        return ok;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
