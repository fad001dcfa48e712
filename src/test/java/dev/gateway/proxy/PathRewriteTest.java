package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PathRewriteTest {
    @Test
    void keepsThePathWithoutRewrite() {
        assertThat(PathRewrite.of(Optional.empty(), Optional.empty()).apply("/a/b", Map.of(), "")).isEqualTo("/a/b");
    }

    @Test
    void stripsATemplatedPrefixAtASegmentBoundary() {
        PathRewrite strip = PathRewrite.of(Optional.empty(), Optional.of("/apps/{app}"));
        assertThat(strip.apply("/apps/shop/cart/1", Map.of("app", "shop"), "cart/1")).isEqualTo("/cart/1");
        assertThat(strip.apply("/apps/shop", Map.of("app", "shop"), "")).isEqualTo("/");
        assertThat(strip.apply("/apps/shop/", Map.of("app", "shop"), "")).isEqualTo("/");
    }

    @Test
    void rewritesWithVariablesAndRest() {
        assertThat(PathRewrite.of(Optional.of("/auth/{action}"), Optional.empty())
                .apply("/api/v1/auth/login", Map.of("action", "login"), "")).isEqualTo("/auth/login");
        assertThat(PathRewrite.of(Optional.of("/v2/{**}"), Optional.empty())
                .apply("/api/x/y", Map.of(), "x/y")).isEqualTo("/v2/x/y");
    }
}
