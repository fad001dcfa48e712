package dev.gateway.config;

import java.util.List;

/**
 * A route's authentication rule. Default (no {@code auth} key): a valid bearer token is required.
 * {@code auth: public} lets anonymous requests through. {@code auth: { roles: [admin], scopes: [orders:write] }}
 * also requires at least one of the roles and every one of the scopes (403 otherwise).
 */
public record AuthConfig(boolean isPublic, List<String> roles, List<String> scopes) {
    public static final AuthConfig REQUIRED = new AuthConfig(false, List.of(), List.of());
    public static final AuthConfig PUBLIC = new AuthConfig(true, List.of(), List.of());

    public AuthConfig {
        roles = List.copyOf(roles);
        scopes = List.copyOf(scopes);
    }
}
