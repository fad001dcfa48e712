package dev.gateway.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Outcome of {@link TokenVerifier#verify(String)}. */
public sealed interface Verification {

    /**
     * A verified token: its claims as plain, unmodifiable Java values (exp/iat/nbf in epoch seconds), the key that
     * verified it (as in {@link TokenVerifier#describeKeys()}), and its expiry ({@code null} when it has no exp).
     */
    record Valid(Map<String, Object> claims, String verifiedBy, Instant expiresAt) implements Verification {
        /** {@code 2026-12-01T10:00:00Z (in 59 minutes)}, or that the token never expires. */
        public String expiry(Instant now) {
            if (expiresAt == null) return "never (the token has no exp claim)";
            Duration left = Duration.between(now, expiresAt);
            return expiresAt + " (" + (left.isNegative() ? Wording.words(left) + " ago; still accepted within the clock skew"
                    : "in " + Wording.words(left)) + ")";
        }

        /** One line per claim, {@code name: JSON value}, with exp/iat/nbf also as instants. */
        public List<String> describeClaims() {
            List<String> out = new ArrayList<>(claims.size());
            claims.forEach((name, value) -> {
                boolean time = (name.equals("exp") || name.equals("iat") || name.equals("nbf")) && value instanceof Number;
                out.add(name + ": " + PlainClaims.json(value)
                        + (time ? "  (" + Instant.ofEpochSecond(((Number) value).longValue()) + ")" : ""));
            });
            return out;
        }
    }

    /** A refused token: why (a metric label) and a short human description without the token or any secret. */
    record Invalid(RejectReason reason, String description) implements Verification {
    }
}
