package dev.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.gateway.config.AuthConfig;
import org.junit.jupiter.api.Test;

class AccessRuleTest {
    private static AccessRule rule(List<String> roles, List<String> scopes) {
        return new AccessRule(new AuthConfig(false, roles, scopes), "roles");
    }

    @Test
    void publicRoutesAllowAnything() {
        AccessRule open = new AccessRule(AuthConfig.PUBLIC, "roles");
        assertThat(open.isPublic()).isTrue();
        assertThat(open.denial(Map.of())).isNull();
        assertThat(new AccessRule(AuthConfig.REQUIRED, "roles").isPublic()).isFalse();
        assertThat(new AccessRule(AuthConfig.REQUIRED, "roles").denial(Map.of("sub", "a"))).isNull();
    }

    @Test
    void oneOfTheRolesIsEnoughFromAnArrayOrASeparatedString() {
        AccessRule admins = rule(List.of("admin", "ops"), List.of());
        assertThat(admins.denial(Map.of("roles", List.of("user", "ops")))).isNull();
        assertThat(admins.denial(Map.of("roles", "user ops"))).isNull();
        assertThat(admins.denial(Map.of("roles", "user,admin"))).isNull();
        assertThat(admins.denial(Map.of("roles", "user, admin"))).isNull();
        assertThat(admins.denial(Map.of("roles", List.of("user")))).isEqualTo("needs one of the roles [admin, ops]");
        assertThat(admins.denial(Map.of("roles", "administrator"))).isEqualTo("needs one of the roles [admin, ops]");
        assertThat(admins.denial(Map.of())).isEqualTo("needs one of the roles [admin, ops]");
        assertThat(admins.denial(Map.of("roles", 42))).isEqualTo("needs one of the roles [admin, ops]");
    }

    @Test
    void theRolesClaimIsConfigurableAndMayBeNested() {
        AuthConfig admin = new AuthConfig(false, List.of("admin"), List.of());
        assertThat(new AccessRule(admin, "groups").denial(Map.of("groups", List.of("admin")))).isNull();
        assertThat(new AccessRule(admin, "groups").denial(Map.of("roles", List.of("admin")))).isNotNull();
        Map<String, Object> keycloak = Map.of("realm_access", Map.of("roles", List.of("admin")));
        assertThat(new AccessRule(admin, "realm_access.roles").denial(keycloak)).isNull();
        assertThat(new AccessRule(admin, "realm_access.roles").denial(Map.of("realm_access", "admin"))).isNotNull();
    }

    @Test
    void everyScopeIsNeededFromScopeOrScp() {
        AccessRule writers = rule(List.of(), List.of("orders:read", "orders:write"));
        assertThat(writers.denial(Map.of("scope", "openid orders:read orders:write"))).isNull();
        assertThat(writers.denial(Map.of("scp", List.of("orders:write", "orders:read")))).isNull();
        assertThat(writers.denial(Map.of("scope", "orders:read"))).isEqualTo("needs the scopes [orders:write]");
        assertThat(writers.denial(Map.of("scope", "orders:read,orders:write")))
                .as("scopes are space-separated only").isEqualTo("needs the scopes [orders:read, orders:write]");
        assertThat(writers.denial(Map.of())).isEqualTo("needs the scopes [orders:read, orders:write]");
    }

    @Test
    void rolesAreCheckedBeforeScopes() {
        AccessRule both = rule(List.of("admin"), List.of("orders:write"));
        assertThat(both.denial(Map.of("scope", "orders:write"))).isEqualTo("needs one of the roles [admin]");
        assertThat(both.denial(Map.of("roles", List.of("admin")))).isEqualTo("needs the scopes [orders:write]");
        assertThat(both.denial(Map.of("roles", List.of("admin"), "scope", "orders:write"))).isNull();
    }
}
