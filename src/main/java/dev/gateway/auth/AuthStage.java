package dev.gateway.auth;

import java.util.List;
import java.util.Map;

/**
 * One route's bearer-token gate: takes the token from the Authorization header, verifies it with the shared
 * {@link TokenVerifier}, applies the route's {@link AccessRule}, and turns the claims into identity headers. A
 * public route lets every request through anonymously and never looks at a token. Built once per route from config;
 * immutable and thread-safe.
 */
public final class AuthStage {
    /** The realm named in every challenge. */
    static final String REALM = "gateway";

    private final TokenVerifier verifier;
    private final AccessRule rule;
    private final IdentityHeaders identity;

    private AuthStage(TokenVerifier verifier, AccessRule rule, IdentityHeaders identity) {
        this.verifier = verifier;
        this.rule = rule;
        this.identity = identity;
    }

    /** A route marked {@code auth: public}. */
    public static AuthStage open() {
        return new AuthStage(null, null, null);
    }

    /** A route that needs a valid token satisfying {@code rule}; {@code rule} must not be public. */
    public static AuthStage protect(TokenVerifier verifier, AccessRule rule, IdentityHeaders identity) {
        if (rule.isPublic()) throw new IllegalArgumentException("a public rule needs no verifier");
        return new AuthStage(verifier, rule, identity);
    }

    public boolean isPublic() {
        return verifier == null;
    }

    /** Decides on a request given all its Authorization header values (empty when it sent none). */
    public AuthDecision decide(List<String> authorization) {
        if (verifier == null) return AuthDecision.Allowed.ANONYMOUS;
        String token;
        try {
            token = BearerToken.from(authorization);
        } catch (TokenRejected e) {
            return unauthorized(e.reason(), e.getMessage());
        }
        return switch (verifier.verify(token)) {
            case Verification.Invalid invalid -> unauthorized(invalid.reason(), invalid.description());
            case Verification.Valid valid -> allowOrForbid(valid.claims());
        };
    }

    /** The route's rule on verified claims: allowed with identity headers, or 403 saying what is missing. */
    AuthDecision allowOrForbid(Map<String, Object> claims) {
        String denial = rule.denial(claims);
        if (denial != null) {
            String why = "this route " + denial;
            return new AuthDecision.Denied(403, challenge("insufficient_scope", why), why, RejectReason.FORBIDDEN);
        }
        return new AuthDecision.Allowed(identity.headers(claims), claims.get("sub") instanceof String s ? s : null);
    }

    private static AuthDecision unauthorized(RejectReason reason, String why) {
        return new AuthDecision.Denied(401, challenge("invalid_token", why), why, reason);
    }

    /** An RFC 6750 challenge; the description is cut to the characters a quoted error_description may hold. */
    static String challenge(String error, String description) {
        StringBuilder safe = new StringBuilder(description.length());
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (c == '"' || c == '\\') {
                safe.append('\'');
            } else if (c == '…') {
                safe.append("...");
            } else {
                safe.append(c >= 0x20 && c <= 0x7e ? c : '?');
            }
        }
        return "Bearer realm=\"" + REALM + "\", error=\"" + error + "\", error_description=\"" + safe + "\"";
    }
}
