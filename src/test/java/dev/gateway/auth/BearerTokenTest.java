package dev.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "abc.DEF-_~+/9", "a=", "eyJ.eyJ.sig==", "A/B+C~D"})
    void b64tokensAreAccepted(String token) throws Exception {
        assertThat(BearerToken.b64token(token)).isTrue();
        assertThat(BearerToken.from(List.of("Bearer " + token))).isEqualTo(token);
        assertThat(BearerToken.from(List.of("  bEaReR   " + token + "  "))).isEqualTo(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=", "==", "a=b", "a b", "ab$", "caf\u00e9", "a,b", "a\"b"})
    void anythingElseIsMalformed(String token) {
        assertThat(BearerToken.b64token(token)).isFalse();
        assertThatThrownBy(() -> BearerToken.from(List.of("Bearer " + token))).isInstanceOfSatisfying(
                TokenRejected.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED));
    }

    @Test
    void missingAndForeignSchemesAreSaidSo() {
        assertThatThrownBy(() -> BearerToken.from(List.of())).isInstanceOfSatisfying(TokenRejected.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.MISSING));
        assertThatThrownBy(() -> BearerToken.from(List.of("Bearer"))).isInstanceOfSatisfying(TokenRejected.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.MISSING));
        assertThatThrownBy(() -> BearerToken.from(List.of("Basic dXNlcjpwYXNz"))).hasMessageContaining("'Basic' scheme");
        assertThatThrownBy(() -> BearerToken.from(List.of("Bearer a", "Bearer b")))
                .hasMessage("more than one Authorization header");
    }
}
