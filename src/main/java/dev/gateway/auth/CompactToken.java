package dev.gateway.auth;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The structural checks before any key is touched: size, three base64url parts, a JSON header whose alg is not
 * none, no JWE, no critical headers (we understand none). Our own wording, since nimbus's parse messages may quote
 * token content.
 */
final class CompactToken {
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private CompactToken() {
    }

    /** The token as a signed JWT with parseable claims, or why it is refused. */
    static SignedJWT parse(String token, long maxSize) throws TokenRejected {
        if (token == null || token.isBlank()) {
            throw new TokenRejected(RejectReason.MISSING, "no token");
        }
        if (token.length() > maxSize) {
            throw new TokenRejected(RejectReason.MALFORMED, "token is larger than the " + maxSize + "-byte limit");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) {
            throw new TokenRejected(RejectReason.UNSUPPORTED, "encrypted tokens (JWE) are not accepted");
        }
        if (parts.length != 3) {
            throw new TokenRejected(RejectReason.MALFORMED,
                    "malformed token: expected three dot-separated parts, found " + parts.length);
        }
        for (String part : parts) {
            if (!BASE64URL.matcher(part).matches()) {
                throw new TokenRejected(RejectReason.MALFORMED, "malformed token: a part is not base64url");
            }
        }
        checkHeader(parts[0]);
        if (parts[1].isEmpty()) {
            throw new TokenRejected(RejectReason.MALFORMED, "malformed token: empty payload");
        }
        if (parts[2].isEmpty()) {
            throw new TokenRejected(RejectReason.UNSUPPORTED, "token is not signed");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            jwt.getJWTClaimsSet();
            return jwt;
        } catch (ParseException e) {
            throw new TokenRejected(RejectReason.MALFORMED, "malformed token: payload is not a valid JWT claims set");
        }
    }

    /** The claims of a token {@link #parse} accepted. */
    static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalStateException("claims were parsed before", e);
        }
    }

    private static void checkHeader(String encoded) throws TokenRejected {
        Map<String, Object> header;
        try {
            header = JSONObjectUtils.parse(new Base64URL(encoded).decodeToString());
        } catch (ParseException | RuntimeException e) {
            throw new TokenRejected(RejectReason.MALFORMED, "malformed token: header is not a JSON object");
        }
        if (header.containsKey("enc")) {
            throw new TokenRejected(RejectReason.UNSUPPORTED, "encrypted tokens (JWE) are not accepted");
        }
        if (!(header.get("alg") instanceof String alg)) {
            throw new TokenRejected(RejectReason.MALFORMED, "malformed token: header has no alg");
        }
        if (alg.equalsIgnoreCase("none")) {
            throw new TokenRejected(RejectReason.UNSUPPORTED, "algorithm none is not allowed");
        }
        if (header.containsKey("crit")) {
            Object crit = header.get("crit");
            String names = crit instanceof List<?> list
                    ? String.join(", ", list.stream().map(n -> Wording.quote(String.valueOf(n))).toList()) : "";
            throw new TokenRejected(RejectReason.UNSUPPORTED,
                    "unsupported critical header" + (names.isEmpty() ? "" : " " + names));
        }
    }
}
