package dev.gateway.auth;

import java.util.Map;

/** Looks a claim up by name; a dotted name ({@code realm_access.roles}) reaches into objects when no claim has it. */
final class ClaimPath {
    private ClaimPath() {
    }

    static Object lookup(Map<String, Object> claims, String name) {
        if (claims.containsKey(name) || !name.contains(".")) {
            return claims.get(name);
        }
        Object value = claims;
        for (String step : name.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) return null;
            value = map.get(step);
        }
        return value;
    }
}
