package dev.gateway.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.gateway.config.AuthConfig;

/**
 * A route's rule on a verified token's claims: at least one of the configured roles (from the roles claim: a JSON
 * array of strings or a space/comma-separated string; a dotted name such as {@code realm_access.roles} reaches into
 * nested objects when no claim has that exact name) and every configured scope (from {@code scope}, a
 * space-separated string, or {@code scp}, an array). Immutable and thread-safe.
 */
public final class AccessRule {
    private final AuthConfig config;
    private final String rolesClaim;

    public AccessRule(AuthConfig config, String rolesClaim) {
        this.config = config;
        this.rolesClaim = rolesClaim;
    }

    /** Whether anonymous requests are let through (no token needed). */
    public boolean isPublic() {
        return config.isPublic();
    }

    /** null when allowed, else why not (for a 403): "needs one of the roles [admin]", "needs the scopes [a:write]". */
    public String denial(Map<String, Object> claims) {
        if (config.isPublic()) {
            return null;
        }
        if (!config.roles().isEmpty()) {
            List<String> roles = strings(ClaimPath.lookup(claims, rolesClaim), "[\\s,]+");
            if (config.roles().stream().noneMatch(roles::contains)) {
                return "needs one of the roles " + config.roles();
            }
        }
        if (!config.scopes().isEmpty()) {
            Object granted = claims.containsKey("scope") ? claims.get("scope") : claims.get("scp");
            List<String> scopes = strings(granted, "\\s+");
            List<String> missing = config.scopes().stream().filter(s -> !scopes.contains(s)).toList();
            if (!missing.isEmpty()) {
                return "needs the scopes " + missing;
            }
        }
        return null;
    }

    private static List<String> strings(Object value, String separators) {
        if (value instanceof String s) {
            return Arrays.stream(s.split(separators)).filter(part -> !part.isEmpty()).toList();
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
