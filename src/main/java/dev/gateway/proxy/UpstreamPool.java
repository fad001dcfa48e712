package dev.gateway.proxy;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import dev.gateway.config.ResilienceConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.resilience.Breaker;
import dev.gateway.resilience.HealthChecker;
import dev.gateway.resilience.RetryBudget;
import dev.gateway.resilience.TargetState;

/**
 * A configured upstream at run time: its targets with their health, the balancer that picks among the available ones
 * (all of them when none is: panic mode, rather than failing everything), the pooled client, the health checker and
 * the guard (retries, breaker, bulkhead). Built once per distinct {@link UpstreamConfig} and carried across reloads
 * while the config stays equal; a changed config takes over the target states and breaker of the previous pool when
 * their own settings did not change. Thread-safe.
 */
public final class UpstreamPool implements TargetResolver, AutoCloseable {
    /** Keep-alive connections kept per target; sized for a gateway in front of busy services. */
    static final int CONNECTIONS_PER_TARGET = 256;

    private final UpstreamConfig config;
    private final List<Target> targets;
    private final Balancer balancer;
    private final UpstreamClient client;
    private final HealthChecker checker;
    private final Guard guard;

    /** {@code previous}: the pool this one replaces (same name, other config), or null. Opens no socket. */
    public UpstreamPool(UpstreamConfig config, UpstreamPool previous, Consumer<String> log) {
        this.config = config;
        ResilienceConfig r = config.resilience();
        boolean sameTargetRules = previous != null
                && previous.config.resilience().healthCheck().equals(r.healthCheck())
                && previous.config.resilience().outlier().equals(r.outlier());
        Map<URI, TargetState> kept = new HashMap<>();
        if (sameTargetRules) previous.targets.forEach(t -> kept.put(t.origin(), t.state()));
        boolean tracked = r.healthCheck().isPresent() || r.outlier().isPresent();
        this.targets = config.targets().stream().map(t -> new Target(t.url(), t.weight(), !tracked ? null
                : Objects.requireNonNullElseGet(kept.get(t.url()), () -> new TargetState(config.name() + " " + t.url(),
                r.healthCheck().orElse(null), r.outlier().orElse(null), System::nanoTime, log)))).toList();
        if (tracked) TargetState.group(targets.stream().map(Target::state).toList());
        this.balancer = Balancer.of(config.balance(), targets);
        this.client = new Http1UpstreamClient(config.connectTimeout(), config.timeout(), CONNECTIONS_PER_TARGET);
        Map<URI, TargetState> states = new HashMap<>();
        targets.forEach(t -> {
            if (t.state() != null) states.put(t.origin(), t.state());
        });
        this.checker = r.healthCheck().map(h -> new HealthChecker(h, states)).orElse(null);
        Breaker breaker = r.circuitBreaker().map(b -> previous != null && previous.guard.breaker() != null
                && previous.config.resilience().circuitBreaker().equals(r.circuitBreaker()) ? previous.guard.breaker()
                : new Breaker(config.name(), b, log)).orElse(null);
        this.guard = new Guard(config.timeout(), r.retry().orElse(null),
                r.retry().map(rt -> new RetryBudget(rt.budgetPercent(), System::nanoTime)).orElse(null), breaker,
                r.maxConcurrentRequests() > 0 ? new Semaphore(r.maxConcurrentRequests()) : null,
                r.maxConcurrentRequests());
    }

    /**
     * One target as operators see it: {@code healthy} by active checks, {@code ejected} by outlier detection,
     * {@code available} to the balancer (both fine), {@code inFlight} requests it is serving now.
     */
    public record TargetStatus(String url, int weight, boolean healthy, boolean ejected, boolean available,
                               int inFlight) {
    }

    /** The targets' states now, in config order. */
    public List<TargetStatus> targetStatus() {
        return targets.stream().map(t -> new TargetStatus(t.origin().toString(), t.weight(),
                t.state() == null || t.state().healthy(), t.state() != null && t.state().isEjected(), t.available(),
                t.inFlight())).toList();
    }

    /** The circuit breaker's state ({@code closed}, {@code open}, {@code half-open}); empty without a breaker. */
    public Optional<String> breakerState() {
        return Optional.ofNullable(guard.breaker()).map(Breaker::state);
    }

    public UpstreamConfig config() {
        return config;
    }

    public UpstreamClient client() {
        return client;
    }

    @Override
    public Guard guard() {
        return guard;
    }

    /** Starts the health checks, if any. Idempotent. */
    public void start() {
        if (checker != null) checker.start();
    }

    @Override
    public Target resolve(Map<String, String> variables) {
        return pick(null);
    }

    @Override
    public Target retryTarget(Map<String, String> variables, Target avoid) {
        return pick(avoid);
    }

    /** An available target other than {@code avoid}; else any available one; else (panic) any at all. */
    private Target pick(Target avoid) {
        Target first = balancer.pick();
        if (first.available() && first != avoid) return first;
        for (int i = 0; i < targets.size() * 2; i++) {
            Target t = balancer.pick();
            if (t.available() && t != avoid) return t;
        }
        for (Target t : targets) {
            if (t.available() && t != avoid) return t;
        }
        if (avoid != null && avoid.available()) return avoid;
        return first;
    }

    @Override
    public void close() {
        if (checker != null) checker.close();
        client.close();
    }
}
