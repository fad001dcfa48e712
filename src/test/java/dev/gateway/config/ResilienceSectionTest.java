package dev.gateway.config;

import static dev.gateway.config.ConfigLoaderTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** An upstream's health-check, outlier, retry, circuit-breaker and max-concurrent-requests: binding and defaults. */
class ResilienceSectionTest {

    @Test
    void bindsEveryOptionAndTheDefaultsOfEmptyParts() throws Exception {
        GatewayConfig config = new ConfigLoader(Map.of()).load(resource("resilience.yaml")).config();
        assertThat(config.upstreams().get("users").resilience()).isEqualTo(new ResilienceConfig(
                Optional.of(new ResilienceConfig.HealthCheck("/healthz", Duration.ofSeconds(2), Duration.ofMillis(500), 4, 3)),
                Optional.of(new ResilienceConfig.Outlier(7, Duration.ofMinutes(1), 34)),
                Optional.of(new ResilienceConfig.Retry(4, Duration.ofMillis(20), Duration.ofMillis(500), false, true, true,
                        Set.of(503), List.of("GET", "HEAD"), 10)),
                Optional.of(new ResilienceConfig.CircuitBreaker(60, 10, Duration.ofMinutes(1), Duration.ofSeconds(5), 3)),
                200));
        assertThat(config.upstreams().get("defaults").resilience()).isEqualTo(new ResilienceConfig(
                Optional.of(ResilienceConfig.HealthCheck.DEFAULTS), Optional.of(ResilienceConfig.Outlier.DEFAULTS),
                Optional.of(ResilienceConfig.Retry.DEFAULTS), Optional.of(ResilienceConfig.CircuitBreaker.DEFAULTS), 0));
        assertThat(config.upstreams().get("users").timeout()).isEqualTo(Duration.ofSeconds(5));
    }
}
