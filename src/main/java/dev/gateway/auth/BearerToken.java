package dev.gateway.auth;

import java.util.List;
import java.util.Locale;

/** Takes the token out of the request's {@code Authorization} header values (RFC 6750 2.1), or says why it cannot. */
final class BearerToken {
    private static final String SCHEME = "bearer";

    private BearerToken() {
    }

    /** The token in {@code values} (every Authorization header line); throws why there is none that can be used. */
    static String from(List<String> values) throws TokenRejected {
        if (values == null || values.isEmpty()) {
            throw new TokenRejected(RejectReason.MISSING, "missing bearer token (send Authorization: Bearer <token>)");
        }
        if (values.size() > 1) {
            throw new TokenRejected(RejectReason.MALFORMED, "more than one Authorization header");
        }
        String value = values.getFirst().strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw new TokenRejected(RejectReason.MALFORMED, "Authorization header uses the " + Wording.quote(scheme)
                    + " scheme; a Bearer token is required");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new TokenRejected(RejectReason.MISSING,
                    "missing bearer token (the Authorization header has no token after Bearer)");
        }
        if (!b64token(token)) {
            throw new TokenRejected(RejectReason.MALFORMED, "malformed token: not a bearer token (RFC 6750 b64token)");
        }
        return token;
    }

    /**
     * RFC 6750's b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. A loop, not a
     * regular expression: the check runs on every request of a protected route and was 6% of its time.
     */
    static boolean b64token(String token) {
        int n = token.length();
        int i = 0;
        while (i < n && tokenChar(token.charAt(i))) i++;
        if (i == 0) return false;
        while (i < n && token.charAt(i) == '=') i++;
        return i == n;
    }

    private static boolean tokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
