package dev.gateway.proxy;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** One upstream instance as the balancer sees it: its origin, weight and how many requests it is serving now. */
public final class Target {
    private final URI origin;
    private final int weight;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Target(URI origin, int weight) {
        this.origin = origin;
        this.weight = weight;
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
