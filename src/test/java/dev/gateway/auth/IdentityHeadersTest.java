package dev.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class IdentityHeadersTest {
    private final IdentityHeaders identity = new IdentityHeaders(Map.of("sub", "X-User-Id", "roles", "X-User-Roles",
            "realm.tenant", "X-Tenant", "n", "X-N", "flag", "X-Flag", "org", "X-Org"));

    private Map<String, String> headers(Map<String, Object> claims) {
        Map<String, String> out = new LinkedHashMap<>();
        identity.headers(claims).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Test
    void claimsBecomeHeadersInHeaderOrderAndAbsentOnesSendNothing() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        claims.put("roles", List.of("admin", "ops"));
        claims.put("realm", Map.of("tenant", "acme"));
        claims.put("n", 42L);
        claims.put("flag", true);
        claims.put("org", null);
        assertThat(headers(claims)).containsExactly(Map.entry("X-Flag", "true"), Map.entry("X-N", "42"),
                Map.entry("X-Tenant", "acme"), Map.entry("X-User-Id", "alice"), Map.entry("X-User-Roles", "admin,ops"));
        assertThat(headers(Map.of("org", Map.of("id", 7L)))).containsExactly(Map.entry("X-Org", "{\"id\":7}"));
        assertThat(identity.names()).containsExactlyInAnyOrder("x-user-id", "x-user-roles", "x-tenant", "x-n", "x-flag",
                "x-org");
    }

    @Test
    void valuesAHeaderCannotCarryArePercentEncodedSoNoTwoIdentitiesLookAlike() {
        assertThat(headers(Map.of("sub", "José 李"))).containsEntry("X-User-Id", "Jos%C3%A9 %E6%9D%8E");
        assertThat(headers(Map.of("sub", "王"))).containsEntry("X-User-Id", "%E7%8E%8B");
        assertThat(headers(Map.of("sub", "100%"))).containsEntry("X-User-Id", "100%25");
        assertThat(headers(Map.of("sub", "Jos%C3%A9"))).containsEntry("X-User-Id", "Jos%25C3%25A9");
        assertThat(headers(Map.of("sub", " alice "))).containsEntry("X-User-Id", "%20alice%20");
        assertThat(headers(Map.of("sub", "a\r\nX-Admin: yes"))).containsEntry("X-User-Id", "a%0D%0AX-Admin: yes");
        assertThat(headers(Map.of("roles", List.of("a,b", "c")))).containsEntry("X-User-Roles", "a%2Cb,c");
        assertThat(headers(Map.of("roles", List.of("a", "b,c")))).containsEntry("X-User-Roles", "a,b%2Cc");
    }
}
