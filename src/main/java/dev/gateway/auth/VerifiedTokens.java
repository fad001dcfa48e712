package dev.gateway.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens verified in the last minute, so a client's every request does not cost a signature check: an entry is used
 * only while the keys it was verified against are unchanged (a JWKS fetch starts a new generation, so a rotated-out
 * key stops working at once), and until the token expires (plus the skew) or {@link #TTL} has passed. Only valid
 * tokens are kept, at most {@link #MAX_ENTRIES} (all are dropped when full, which a flood of distinct valid tokens
 * would need a real signer to cause). Thread-safe.
 */
final class VerifiedTokens {
    static final Duration TTL = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Verification.Valid valid, Instant until, Object[] generation) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration skew;

    VerifiedTokens(Duration skew) {
        this.skew = skew;
    }

    /** The verification of {@code token} still good at {@code now} with the keys of {@code generation}, or null. */
    Verification.Valid get(String token, Instant now, Object[] generation) {
        Entry e = entries.get(token);
        if (e == null) return null;
        if (now.isBefore(e.until()) && same(e.generation(), generation)) return e.valid();
        entries.remove(token, e);
        return null;
    }

    void put(String token, Verification.Valid valid, Instant now, Object[] generation) {
        Instant until = now.plus(TTL);
        if (valid.expiresAt() != null && valid.expiresAt().plus(skew).isBefore(until)) until = valid.expiresAt().plus(skew);
        if (entries.size() >= MAX_ENTRIES) entries.clear();
        entries.put(token, new Entry(valid, until, generation));
    }

    private static boolean same(Object[] a, Object[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }
}
