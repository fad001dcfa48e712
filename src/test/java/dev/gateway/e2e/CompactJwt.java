package dev.gateway.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/** A compact JWS split into its decoded header and payload (JSON objects) and its raw signature part, for assertions. */
record CompactJwt(Map<String, Object> header, Map<String, Object> payload, String signature) {
    /** Three base64url parts separated by dots, nothing else. */
    static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    static CompactJwt parse(String jwt) {
        if (!SHAPE.matcher(jwt).matches()) throw new IllegalArgumentException("not a compact JWS: " + jwt);
        String[] parts = jwt.split("\\.");
        return new CompactJwt(TinyJson.object(decode(parts[0])), TinyJson.object(decode(parts[1])), parts[2]);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
