package dev.gateway.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The checks after a good signature. {@code exp} is optional but honoured; {@code exp}, {@code nbf} and {@code iat}
 * each get the clock skew in the token's favour; {@code iss} must match exactly when configured; {@code aud} must
 * contain at least one configured audience when any are configured.
 */
final class ClaimChecks {
    private final Optional<String> issuer;
    private final List<String> audiences;
    private final Duration skew;

    ClaimChecks(Optional<String> issuer, List<String> audiences, Duration skew) {
        this.issuer = issuer;
        this.audiences = List.copyOf(audiences);
        this.skew = skew;
    }

    /** Throws why {@code claims} are not acceptable at {@code now}. */
    void check(JWTClaimsSet claims, Instant now) throws TokenRejected {
        Instant exp = instant(claims.getExpirationTime());
        if (exp != null && !now.isBefore(exp.plus(skew))) {
            throw new TokenRejected(RejectReason.EXPIRED,
                    "token expired " + Wording.words(Duration.between(exp, now)) + " ago");
        }
        Instant nbf = instant(claims.getNotBeforeTime());
        if (nbf != null && now.isBefore(nbf.minus(skew))) {
            throw new TokenRejected(RejectReason.NOT_YET_VALID, "token is not valid yet (nbf is "
                    + Wording.words(Duration.between(now, nbf)) + " from now)");
        }
        Instant iat = instant(claims.getIssueTime());
        if (iat != null && now.isBefore(iat.minus(skew))) {
            throw new TokenRejected(RejectReason.NOT_YET_VALID, "token is issued in the future (iat is "
                    + Wording.words(Duration.between(now, iat)) + " from now)");
        }
        if (issuer.isPresent()) {
            String iss = claims.getIssuer();
            if (iss == null) {
                throw new TokenRejected(RejectReason.ISSUER,
                        "token has no issuer (expected " + Wording.quote(issuer.get()) + ")");
            }
            if (!iss.equals(issuer.get())) {
                throw new TokenRejected(RejectReason.ISSUER,
                        "token issuer " + Wording.quote(iss) + " is not the expected "
                        + Wording.quote(issuer.get()));
            }
        }
        if (!audiences.isEmpty()) {
            List<String> aud = claims.getAudience();
            if (aud.isEmpty()) {
                throw new TokenRejected(RejectReason.AUDIENCE,
                        "token has no audience (expected one of " + audiences + ")");
            }
            if (aud.stream().noneMatch(audiences::contains)) {
                throw new TokenRejected(RejectReason.AUDIENCE,
                        "token audience " + aud.stream().limit(3).map(Wording::quote).toList()
                        + " includes none of " + audiences);
            }
        }
    }

    static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
