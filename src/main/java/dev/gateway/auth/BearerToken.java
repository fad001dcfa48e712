package dev.gateway.auth;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Takes the token out of the request's {@code Authorization} header values (RFC 6750 2.1), or says why it cannot. */
final class BearerToken {
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
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
            throw new TokenRejected(RejectReason.MISSING, "missing bearer token (the Authorization header has no token after Bearer)");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            throw new TokenRejected(RejectReason.MALFORMED, "malformed token: not a bearer token (RFC 6750 b64token)");
        }
        return token;
    }
}
