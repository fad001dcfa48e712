package dev.gateway.config;

import static dev.gateway.config.ConfigLoaderTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.config.RateLimitPolicyConfig.Key;
import org.junit.jupiter.api.Test;

/** The rate-limits and client-ip sections and route rate-limit lists: binding and defaults. */
class RateLimitsSectionTest {

    @Test
    void bindsEveryOption() throws Exception {
        GatewayConfig config = new ConfigLoader(Map.of()).load(resource("rate-limits.yaml")).config();
        assertThat(config.rateLimits()).hasValue(new RateLimitsConfig("memory", false, Duration.ofMillis(100), Map.of(
                "per-ip", new RateLimitPolicyConfig("per-ip", 10, Duration.ofSeconds(1), 20, Key.IP, Optional.empty(), false),
                "per-user", new RateLimitPolicyConfig("per-user", 600, Duration.ofMinutes(1), 50, Key.USER, Optional.empty(),
                        false),
                "per-key", new RateLimitPolicyConfig("per-key", 5, Duration.ofSeconds(1), 5, Key.HEADER,
                        Optional.of("x-api-key"), true),
                "hourly", new RateLimitPolicyConfig("hourly", 1000, Duration.ofHours(1), 1000, Key.IP, Optional.empty(),
                        false))));
        assertThat(config.clientIp().trustedProxies()).containsExactly("127.0.0.1/32", "10.0.0.0/8", "::1");
        assertThat(config.routes()).extracting(RouteConfig::rateLimits)
                .containsExactly(List.of("per-ip"), List.of("per-user", "per-ip"), List.of());
    }

    @Test
    void theStoreComesFromTheEnvironmentAndDefaultsAreDocumented() throws Exception {
        String yaml = """
                rate-limits: { store: "${REDIS_URL:-memory}", policies: { p: { rate: 3/m } } }
                upstreams: { app: { targets: [ "http://127.0.0.1:9001" ] } }
                routes: [ { name: a, path: /a, upstream: app, auth: public, rate-limit: p } ]
                """;
        GatewayConfig redis = new ConfigLoader(Map.of("REDIS_URL", "redis://cache:6379/2")).parse("g.yaml", yaml).config();
        assertThat(redis.rateLimits().orElseThrow().store()).isEqualTo("redis://cache:6379/2");
        RateLimitsConfig defaults = new ConfigLoader(Map.of()).parse("g.yaml", yaml).config().rateLimits().orElseThrow();
        assertThat(defaults.store()).isEqualTo(RateLimitsConfig.MEMORY);
        assertThat(defaults.failOpen()).isTrue();
        assertThat(defaults.storeTimeout()).isEqualTo(RateLimitsConfig.DEFAULT_STORE_TIMEOUT);
        assertThat(defaults.policies().get("p")).isEqualTo(new RateLimitPolicyConfig("p", 3, Duration.ofMinutes(1), 3,
                Key.IP, Optional.empty(), false));
        assertThat(new ConfigLoader(Map.of()).parse("g.yaml", yaml).config().clientIp()).isEqualTo(ClientIpConfig.NONE);
        GatewayConfig cluster = new ConfigLoader(Map.of("REDIS_URL", "redis-cluster://:pw@h1:7000,h2:7001"))
                .parse("g.yaml", yaml).config();
        assertThat(cluster.rateLimits().orElseThrow().store()).isEqualTo("redis-cluster://:pw@h1:7000,h2:7001");
    }
}
