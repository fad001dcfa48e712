package dev.gateway.proxy;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gateway.resilience.TargetState;

/**
 * One upstream instance as the balancer sees it: its origin, weight, how many requests it is serving now, and its
 * health and ejection state (always available for targets built from a URL template).
 */
public final class Target {
    private final URI origin;
    private final int weight;
    private final TargetState state;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Target(URI origin, int weight) {
        this(origin, weight, null);
    }

    Target(URI origin, int weight, TargetState state) {
        this.origin = origin;
        this.weight = weight;
        this.state = state;
    }

    /** Health and ejection, or null for a target without any (templated, or an upstream with no checks). */
    TargetState state() {
        return state;
    }

    boolean available() {
        return state == null || state.available();
    }

    public URI origin() {
        return origin;
    }

    public int weight() {
        return weight;
    }

    int inFlight() {
        return inFlight.get();
    }

    void begin() {
        inFlight.incrementAndGet();
    }

    void end() {
        inFlight.decrementAndGet();
    }
}
