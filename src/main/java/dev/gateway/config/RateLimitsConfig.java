package dev.gateway.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code rate-limits} section: where buckets live ({@code memory}, or a {@code redis://}, {@code rediss://} or
 * {@code redis-cluster://} URI), whether requests pass ({@code allow}, the default) or get 503 ({@code deny}) while
 * that store cannot answer, how long one check may wait for it (default 250ms), and the named policies.
 */
public record RateLimitsConfig(String store, boolean failOpen, Duration storeTimeout,
                               Map<String, RateLimitPolicyConfig> policies) {
    public static final String MEMORY = "memory";
    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMillis(250);

    public RateLimitsConfig {
        policies = Map.copyOf(policies);
    }

    /** Everything but the policies: equal stores are carried over by a reload, and so are their buckets. */
    public RateLimitsConfig storeOnly() {
        return new RateLimitsConfig(store, failOpen, storeTimeout, Map.of());
    }
}
