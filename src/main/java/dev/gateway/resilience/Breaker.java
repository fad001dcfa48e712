package dev.gateway.resilience;

import java.time.Duration;
import java.util.function.Consumer;

import dev.failsafe.CircuitBreaker;
import dev.gateway.config.ResilienceConfig;

/**
 * One upstream's circuit breaker (failsafe): closed while fewer than {@code failure-ratio} of at least
 * {@code minimum-requests} in the last {@code window} failed; then open for {@code open-for}, refusing every request;
 * then half-open, letting {@code half-open-requests} through as probes: all succeed and it closes, one fails and it
 * opens again. Each state change is logged once. Thread-safe.
 */
public final class Breaker {
    private final CircuitBreaker<Object> breaker;

    public Breaker(String upstream, ResilienceConfig.CircuitBreaker config, Consumer<String> log) {
        this.breaker = CircuitBreaker.builder()
                .withFailureRateThreshold(config.failureRatioPercent(), config.minimumRequests(), config.window())
                .withDelay(config.openFor())
                .withSuccessThreshold(config.halfOpenRequests())
                .onOpen(e -> log.accept("circuit breaker of upstream '" + upstream + "' opened: failing fast for "
                        + config.openFor().toSeconds() + "s"))
                .onHalfOpen(e -> log.accept("circuit breaker of upstream '" + upstream + "' half-open: letting "
                        + config.halfOpenRequests() + " probe requests through"))
                .onClose(e -> log.accept("circuit breaker of upstream '" + upstream + "' closed: traffic flows again"))
                .build();
    }

    /** Whether a request may go to the upstream now (in half-open: whether a probe slot is free). */
    public boolean tryAcquire() {
        return breaker.tryAcquirePermit();
    }

    public void success() {
        breaker.recordSuccess();
    }

    public void failure() {
        breaker.recordFailure();
    }

    /** How long until an open breaker lets probes through (zero when not open). */
    public Duration retryAfter() {
        return breaker.getRemainingDelay();
    }

    /** {@code closed}, {@code open} or {@code half-open}. */
    public String state() {
        return breaker.getState().name().toLowerCase().replace('_', '-');
    }
}
