package dev.gateway.runtime;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.gateway.config.LoadedConfig;
import dev.gateway.proxy.ProxyStage;
import dev.gateway.routing.Router;

/**
 * One loaded config turned into a running form: the router with each route's precompiled stage, and the
 * resources (upstream pools and clients) behind them, keyed so the next snapshot can carry over the unchanged
 * ones. Requests register while they use it so it is retired only when idle. Thread-safe.
 */
public final class RuntimeSnapshot {
    private final LoadedConfig loaded;
    private final Router<ProxyStage> router;
    private final Map<Object, AutoCloseable> resources;
    private final LongAdder inFlight = new LongAdder();
    private volatile boolean retired;

    RuntimeSnapshot(LoadedConfig loaded, Router<ProxyStage> router, Map<Object, AutoCloseable> resources) {
        this.loaded = loaded;
        this.router = router;
        this.resources = Map.copyOf(resources);
    }

    public LoadedConfig loaded() {
        return loaded;
    }

    public Router<ProxyStage> router() {
        return router;
    }

    Map<Object, AutoCloseable> resources() {
        return resources;
    }

    /** Registers a request; false when the snapshot was retired meanwhile (the caller takes the current one). */
    boolean enter() {
        inFlight.increment();
        if (retired) {
            inFlight.decrement();
            return false;
        }
        return true;
    }

    void exit() {
        inFlight.decrement();
    }

    void markRetired() {
        retired = true;
    }

    boolean idle() {
        return inFlight.sum() == 0;
    }

    /** Closes every resource at once (for a snapshot that never served, such as validate's). */
    public void close() {
        closeExcept(null, message -> { });
    }

    /** Closes the resources the successor did not carry over (all of them when {@code successor} is null). */
    void closeExcept(RuntimeSnapshot successor, java.util.function.Consumer<String> onError) {
        for (Map.Entry<Object, AutoCloseable> e : resources.entrySet()) {
            if (successor != null && successor.resources.get(e.getKey()) == e.getValue()) continue;
            try {
                e.getValue().close();
            } catch (Exception ex) {
                onError.accept("closing " + e.getKey() + " failed: " + ex);
            }
        }
    }
}
