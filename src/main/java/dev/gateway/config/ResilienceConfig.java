package dev.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How an upstream is protected and protects its clients: active health checks, passive outlier ejection, retries,
 * a circuit breaker and a bulkhead ({@code max-concurrent-requests}, 0 for none). Each part is off unless written;
 * written parts take the defaults documented on their records.
 */
public record ResilienceConfig(Optional<HealthCheck> healthCheck, Optional<Outlier> outlier, Optional<Retry> retry,
                               Optional<CircuitBreaker> circuitBreaker, int maxConcurrentRequests) {
    public static final ResilienceConfig NONE = new ResilienceConfig(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), 0);

    /** GET {@code path} on each target every {@code interval} (default /health, 5s, timeout 1s, 3 to fail, 2 to heal). */
    public record HealthCheck(String path, Duration interval, Duration timeout, int unhealthyAfter, int healthyAfter) {
        public static final HealthCheck DEFAULTS = new HealthCheck("/health", Duration.ofSeconds(5),
                Duration.ofSeconds(1), 3, 2);
    }

    /** Eject a target after {@code consecutiveFailures} (default 5) for {@code ejectFor} (30s), at most {@code maxEjectedPercent} (50) of them. */
    public record Outlier(int consecutiveFailures, Duration ejectFor, int maxEjectedPercent) {
        public static final Outlier DEFAULTS = new Outlier(5, Duration.ofSeconds(30), 50);
    }

    /**
     * Up to {@code attempts} tries in all (default 3), backoff doubling from {@code backoff} (50ms) to {@code maxBackoff}
     * (1s), with jitter (on), on the listed conditions ({@code connect-failure}, {@code timeout}, or statuses; default
     * connect-failure, 502, 503, 504), for the listed methods (GET, HEAD, OPTIONS, PUT, DELETE), while retries stay
     * within {@code budgetPercent} (20) of the requests.
     */
    public record Retry(int attempts, Duration backoff, Duration maxBackoff, boolean jitter, boolean onConnectFailure,
                        boolean onTimeout, Set<Integer> onStatus, List<String> methods, int budgetPercent) {
        public static final Retry DEFAULTS = new Retry(3, Duration.ofMillis(50), Duration.ofSeconds(1), true, true, false,
                Set.of(502, 503, 504), List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE"), 20);

        public Retry {
            onStatus = Set.copyOf(onStatus);
            methods = List.copyOf(methods);
        }
    }

    /**
     * Opens when at least {@code failureRatioPercent} (default 50) of at least {@code minimumRequests} (20) in the last
     * {@code window} (30s) failed; stays open {@code openFor} (10s), then lets {@code halfOpenRequests} (5) probe.
     */
    public record CircuitBreaker(int failureRatioPercent, int minimumRequests, Duration window, Duration openFor,
                                 int halfOpenRequests) {
        public static final CircuitBreaker DEFAULTS = new CircuitBreaker(50, 20, Duration.ofSeconds(30),
                Duration.ofSeconds(10), 5);
    }
}
