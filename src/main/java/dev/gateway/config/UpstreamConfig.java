package dev.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * A named group of targets. Defaults: balance round-robin, connect-timeout 2s, timeout 30s (the longest wait
 * for response headers once the request is sent, retries included, and the longest idle gap while streaming the
 * response), no health checks, ejection, retries, breaker or concurrency limit ({@link ResilienceConfig}).
 */
public record UpstreamConfig(String name, List<TargetConfig> targets, Balance balance,
                             Duration connectTimeout, Duration timeout, ResilienceConfig resilience) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public UpstreamConfig {
        targets = List.copyOf(targets);
    }

    /** How a request picks one of the targets. */
    public enum Balance {
        ROUND_ROBIN("round-robin"), LEAST_REQUESTS("least-requests"), RANDOM("random");

        private final String configName;

        Balance(String configName) {
            this.configName = configName;
        }

        /** The spelling used in the YAML file. */
        public String configName() {
            return configName;
        }
    }
}
