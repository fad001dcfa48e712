package dev.gateway.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

import dev.gateway.auth.TokenVerifier;
import dev.gateway.config.LoadedConfig;
import dev.gateway.cors.CorsPolicy;
import dev.gateway.proxy.ClientIpResolver;
import dev.gateway.proxy.UpstreamPool;
import dev.gateway.ratelimit.BucketStore;
import dev.gateway.routing.Router;

/**
 * One loaded config turned into a running form: the router with each route's precompiled stages, the token
 * verifier, and the resources (upstream pools and clients, the verifier) behind them, keyed so the next snapshot
 * can carry over the unchanged ones. Requests register while they use it so it is retired only when idle.
 * Thread-safe.
 */
public final class RuntimeSnapshot {
    private final LoadedConfig loaded;
    private final Instant builtAt;
    private final Router<CompiledRoute> router;
    private final List<CompiledRoute> routes;
    private final Optional<CorsPolicy> cors;
    private final Optional<TokenVerifier> verifier;
    private final ClientIpResolver clientIp;
    private final Map<Object, AutoCloseable> resources;
    private final Set<Object> webSocketRoutes;
    private final Map<String, UpstreamPool> upstreams;
    private final LongAdder inFlight = new LongAdder();
    private volatile boolean retired;

    RuntimeSnapshot(LoadedConfig loaded, Instant builtAt, Router<CompiledRoute> router, List<CompiledRoute> routes,
                    Optional<CorsPolicy> cors, Optional<TokenVerifier> verifier, ClientIpResolver clientIp,
                    Map<Object, AutoCloseable> resources) {
        this.loaded = loaded;
        this.builtAt = builtAt;
        this.router = router;
        this.routes = List.copyOf(routes);
        this.cors = cors;
        this.verifier = verifier;
        this.clientIp = clientIp;
        this.resources = Map.copyOf(resources);
        Map<String, UpstreamPool> pools = new TreeMap<>();
        for (AutoCloseable r : this.resources.values()) {
            if (r instanceof UpstreamPool pool) pools.put(pool.config().name(), pool);
        }
        this.upstreams = Collections.unmodifiableMap(pools);
        this.webSocketRoutes = this.routes.stream().flatMap(r -> r.webSocket().stream()).map(w -> w.key())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The keys of the routes that accept WebSockets: a socket whose route's key is not here lost its route. */
    Set<Object> webSocketRoutes() {
        return webSocketRoutes;
    }

    public LoadedConfig loaded() {
        return loaded;
    }

    /** When this snapshot was built from its file (for a reload, just before it was swapped in). */
    public Instant builtAt() {
        return builtAt;
    }

    /** The configured upstreams' pools, sorted by name (URL-template upstreams have none). */
    public Map<String, UpstreamPool> upstreams() {
        return upstreams;
    }

    /** The rate-limit store, when the file has one. */
    public Optional<BucketStore> store() {
        return resources.values().stream().filter(BucketStore.class::isInstance).map(BucketStore.class::cast).findFirst();
    }

    public Router<CompiledRoute> router() {
        return router;
    }

    /** Every route in file order. */
    public List<CompiledRoute> routes() {
        return routes;
    }

    /** The file's top-level CORS policy: for preflights and errors that no route with its own policy answers. */
    Optional<CorsPolicy> cors() {
        return cors;
    }

    /** The verifier every protected route shares; empty when the file has no {@code jwt} section. */
    public Optional<TokenVerifier> verifier() {
        return verifier;
    }

    /** Who the client is: the socket's peer, or what trusted proxies say in X-Forwarded-For. */
    ClientIpResolver clientIp() {
        return clientIp;
    }

    /**
     * Starts background work (JWKS fetching, health checks, connecting to a Redis rate-limit store) and waits up to {@code wait}
     * for the first JWKS fetches and the store's connection, so the snapshot serves with keys and limits. Returns
     * what was not ready in time (it keeps trying in the background); empty when all was. Idempotent:
     * carried-over resources are already started.
     */
    public List<String> start(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<BucketStore> stores = resources.values().stream().filter(BucketStore.class::isInstance)
                .map(BucketStore.class::cast).toList();
        stores.forEach(BucketStore::start);
        resources.values().forEach(r -> {
            if (r instanceof UpstreamPool pool) pool.start();
        });
        verifier.ifPresent(TokenVerifier::start);
        List<String> late = new ArrayList<>();
        if (verifier.isPresent() && !verifier.get().awaitKeys(wait)) late.add("a JWKS (its tokens get 401 until it answers)");
        for (BucketStore store : stores) {
            if (!store.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                late.add("the rate-limit store " + store.describe());
            }
        }
        return late;
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
