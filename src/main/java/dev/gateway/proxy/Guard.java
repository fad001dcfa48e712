package dev.gateway.proxy;

import java.time.Duration;
import java.util.concurrent.Semaphore;

import dev.gateway.config.ResilienceConfig;
import dev.gateway.resilience.Breaker;
import dev.gateway.resilience.RetryBudget;

/**
 * How the requests of one upstream are guarded: the deadline for response headers over all attempts, the retry
 * rules and their budget, the circuit breaker and the bulkhead. Any part may be absent (null). Thread-safe.
 */
public record Guard(Duration deadline, ResilienceConfig.Retry retry, RetryBudget budget, Breaker breaker,
                   Semaphore bulkhead, int maxConcurrent) {
    /** Nothing but the default deadline: what templated upstreams get. */
    public static final Guard NONE = new Guard(null, null, null, null, null, 0);
}
