package dev.gateway.runtime;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.gateway.auth.AccessRule;
import dev.gateway.auth.AuthStage;
import dev.gateway.auth.IdentityHeaders;
import dev.gateway.auth.TokenVerifier;
import dev.gateway.cache.ResponseCache;
import dev.gateway.cache.RouteCache;
import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import dev.gateway.config.CorsConfig;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.JwtConfig;
import dev.gateway.config.KeyConfig;
import dev.gateway.config.LoadedConfig;
import dev.gateway.config.RateLimitsConfig;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.cors.CorsPolicy;
import dev.gateway.observe.EventLog;
import dev.gateway.observe.Metrics;
import dev.gateway.proxy.ClientIpResolver;
import dev.gateway.proxy.HeaderStrip;
import dev.gateway.proxy.Http1UpstreamClient;
import dev.gateway.proxy.PathRewrite;
import dev.gateway.proxy.ProxyStage;
import dev.gateway.proxy.UpstreamClient;
import dev.gateway.proxy.UpstreamPool;
import dev.gateway.proxy.UrlTemplateResolver;
import dev.gateway.ratelimit.BucketStore;
import dev.gateway.ratelimit.MemoryStore;
import dev.gateway.ratelimit.RateLimitStage;
import dev.gateway.ratelimit.RedisStore;
import dev.gateway.routing.PathPattern;
import dev.gateway.routing.RouteSpec;
import dev.gateway.routing.Router;
import dev.gateway.websocket.WebSocketStage;

/**
 * Builds a {@link RuntimeSnapshot} from a loaded config: the one place that wires routes to stages and creates
 * upstream clients and the token verifier, shared by serve, reload and validate. Resources whose config is equal to
 * one in the previous snapshot are reused, so a reload keeps their connection pools and fetched JWKS keys. Opens no
 * sockets: {@link RuntimeSnapshot#start} does.
 */
public final class SnapshotFactory {
    /** Inline upstreams (URL templates on a route) keep their own pool per template. */
    static final int INLINE_CONNECTIONS_PER_TARGET = 64;

    private final Clock clock;
    private final EventLog events;
    private final Metrics metrics;

    /**
     * {@code clock} checks token times; {@code events} hears JWKS fetch failures and recoveries; {@code metrics}
     * gets the upstreams' attempt timings.
     */
    public SnapshotFactory(Clock clock, EventLog events, Metrics metrics) {
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
    }

    /** A factory whose snapshots count into metrics nobody reads (validate, routes, tests). */
    public SnapshotFactory(Clock clock, EventLog events) {
        this(clock, events, new Metrics());
    }

    /** Throws ConfigException, located in the file, for a key that the loader read but that cannot verify tokens. */
    public RuntimeSnapshot build(LoadedConfig loaded, RuntimeSnapshot previous) throws ConfigException {
        Map<Object, AutoCloseable> old = previous == null ? Map.of() : previous.resources();
        Map<Object, AutoCloseable> resources = new HashMap<>();
        GatewayConfig config = loaded.config();
        Optional<TokenVerifier> verifier = Optional.empty();
        if (config.jwt().isPresent()) {
            JwtConfig jwt = config.jwt().get();
            TokenVerifier v = old.get(jwt) instanceof TokenVerifier kept ? kept : verifier(loaded, jwt);
            resources.put(jwt, v);
            verifier = Optional.of(v);
        }
        BucketStore store = config.rateLimits().map(r -> (BucketStore) resources.computeIfAbsent(r.storeOnly(),
                key -> old.containsKey(key) ? old.get(key) : store(r))).orElse(null);
        Map<String, UpstreamPool> pools = new HashMap<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            UpstreamPool pool = (UpstreamPool) resources.computeIfAbsent(u,
                    key -> old.containsKey(key) ? old.get(key) : new UpstreamPool(u, previousPool(old, u.name()),
                            events::info));
            pools.put(u.name(), pool);
        }
        IdentityHeaders identity = new IdentityHeaders(config.jwt().map(JwtConfig::forwardClaims).orElse(Map.of()));
        List<String> stripped = new ArrayList<>(config.stripHeaders());
        stripped.addAll(identity.names());
        HeaderStrip strip = new HeaderStrip(stripped);
        String rolesClaim = config.jwt().map(JwtConfig::rolesClaim).orElse(JwtConfig.DEFAULT_ROLES_CLAIM);
        Map<CorsConfig, CorsPolicy> policies = new HashMap<>();
        Optional<CorsPolicy> fileCors = config.cors().map(c -> policies.computeIfAbsent(c, CorsPolicy::new));

        ResponseCache responseCache = config.routes().stream().anyMatch(r -> r.cache().isPresent())
                ? (ResponseCache) resources.computeIfAbsent(config.cache(), key -> old.containsKey(key) ? old.get(key)
                : new ResponseCache(config.cache().maxSize(), System::nanoTime)) : null;
        Set<String> cachedRoutes = new HashSet<>();
        Router.Builder<CompiledRoute> router = Router.builder();
        List<CompiledRoute> routes = new ArrayList<>();
        for (RouteConfig r : config.routes()) {
            Optional<CorsPolicy> cors = r.cors().map(c -> policies.computeIfAbsent(c, CorsPolicy::new)).or(() -> fileCors);
            AuthStage auth = r.auth().isPublic() ? AuthStage.open()
                    : AuthStage.protect(verifier.orElseThrow(), new AccessRule(r.auth(), rolesClaim), identity);
            RateLimitStage rateLimit = r.rateLimits().isEmpty() ? RateLimitStage.NONE : new RateLimitStage(store,
                    config.rateLimits().orElseThrow().failOpen(), r.rateLimits().stream()
                    .map(config.rateLimits().orElseThrow().policies()::get).toList(), r.name());
            List<String> owned = new ArrayList<>(2);
            if (cors.isPresent()) owned.add("access-control-");
            if (rateLimit.isLimited()) owned.add("ratelimit-");
            long maxBody = r.maxBodySize().orElse(config.listen().maxBodySize());
            RouteCache cache = r.cache().map(c -> new RouteCache(r.name() + "#" + Integer.toHexString(r.hashCode()), c,
                    responseCache, System::nanoTime)).orElse(null);
            if (cache != null) cachedRoutes.add(cache.fingerprint());
            PathRewrite rewrite = PathRewrite.of(r.rewrite(), r.stripPrefix());
            ProxyStage proxy;
            if (r.inlineUpstream()) {
                String key = "inline " + r.upstream();
                UpstreamClient client = (UpstreamClient) resources.computeIfAbsent(key,
                        k -> old.containsKey(k) ? old.get(k) : new Http1UpstreamClient(
                                UpstreamConfig.DEFAULT_CONNECT_TIMEOUT, UpstreamConfig.DEFAULT_TIMEOUT,
                                INLINE_CONNECTIONS_PER_TARGET));
                proxy = new ProxyStage(r.upstream(), new UrlTemplateResolver(r.upstream()), client, rewrite, maxBody,
                        strip, owned, cache, metrics.upstream(r.upstream()));
            } else {
                UpstreamPool pool = pools.get(r.upstream());
                proxy = new ProxyStage(r.upstream(), pool, pool.client(), rewrite, maxBody, strip, owned, cache,
                        metrics.upstream(r.upstream()));
            }
            UpstreamConfig upstreamConfig = r.inlineUpstream() ? null : config.upstreams().get(r.upstream());
            Optional<WebSocketStage> webSocket = r.websocket().map(w -> new WebSocketStage(r.name(),
                    Arrays.asList(r, upstreamConfig), w,
                    upstreamConfig == null ? UpstreamConfig.DEFAULT_CONNECT_TIMEOUT : upstreamConfig.connectTimeout(),
                    upstreamConfig == null ? UpstreamConfig.DEFAULT_TIMEOUT : upstreamConfig.timeout()));
            CompiledRoute route = new CompiledRoute(r.name(), cors, auth, rateLimit, proxy, webSocket);
            routes.add(route);
            router.add(new RouteSpec(r.name(), PathPattern.parse(r.path()), new HashSet<>(r.methods()), r.host(),
                    r.headers()), route);
        }
        if (responseCache != null) responseCache.retainOnly(cachedRoutes); // a changed route's responses are dropped
        return new RuntimeSnapshot(loaded, clock.instant(), router.build(), routes, fileCors, verifier,
                new ClientIpResolver(config.clientIp().trustedProxies()), resources);
    }

    /** The pool that served upstream {@code name} before this reload, whose target states may be taken over. */
    private static UpstreamPool previousPool(Map<Object, AutoCloseable> old, String name) {
        return old.values().stream().filter(UpstreamPool.class::isInstance).map(UpstreamPool.class::cast)
                .filter(p -> p.config().name().equals(name)).findFirst().orElse(null);
    }

    /** The store of {@code rate-limits.store}; a Redis one connects only once the snapshot is started. */
    private BucketStore store(RateLimitsConfig config) {
        if (config.store().equals(RateLimitsConfig.MEMORY)) return new MemoryStore(System::nanoTime);
        return new RedisStore(URI.create(config.store()), config.storeTimeout(),
                config.failOpen() ? "requests pass unlimited" : "rate-limited requests get 503", events::warn,
                events::info);
    }

    private TokenVerifier verifier(LoadedConfig loaded, JwtConfig jwt) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        for (int i = 0; i < jwt.keys().size(); i++) {
            try {
                TokenVerifier.checkKey(jwt.keys().get(i));
            } catch (IllegalArgumentException e) {
                String path = "jwt.keys[" + i + "]" + (jwt.keys().get(i) instanceof KeyConfig.PublicKeyFile
                        ? ".public-key" : "");
                errors.add(new ConfigError(loaded.locate(path), ConfigError.Severity.ERROR, path, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new TokenVerifier(jwt, clock, events);
    }
}
