package dev.gateway.runtime;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

import dev.gateway.config.GatewayConfig;
import dev.gateway.config.LoadedConfig;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.proxy.ApacheUpstreamClient;
import dev.gateway.proxy.PathRewrite;
import dev.gateway.proxy.ProxyStage;
import dev.gateway.proxy.UpstreamClient;
import dev.gateway.proxy.UpstreamPool;
import dev.gateway.proxy.UrlTemplateResolver;
import dev.gateway.routing.PathPattern;
import dev.gateway.routing.RouteSpec;
import dev.gateway.routing.Router;

/**
 * Builds a {@link RuntimeSnapshot} from a loaded config: the one place that wires routes to stages and creates
 * upstream clients, shared by serve, reload and validate. Resources whose config is equal to one in the
 * previous snapshot are reused, so a reload keeps their connection pools. Opens no sockets.
 */
public final class SnapshotFactory {
    /** Inline upstreams (URL templates on a route) keep their own pool per template. */
    static final int INLINE_CONNECTIONS_PER_TARGET = 64;

    public RuntimeSnapshot build(LoadedConfig loaded, RuntimeSnapshot previous) {
        Map<Object, AutoCloseable> old = previous == null ? Map.of() : previous.resources();
        Map<Object, AutoCloseable> resources = new HashMap<>();
        GatewayConfig config = loaded.config();
        Map<String, UpstreamPool> pools = new HashMap<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            UpstreamPool pool = (UpstreamPool) resources.computeIfAbsent(u,
                    key -> old.containsKey(key) ? old.get(key) : new UpstreamPool(u));
            pools.put(u.name(), pool);
        }
        Router.Builder<ProxyStage> router = Router.builder();
        for (RouteConfig r : config.routes()) {
            long maxBody = r.maxBodySize().orElse(config.listen().maxBodySize());
            PathRewrite rewrite = PathRewrite.of(r.rewrite(), r.stripPrefix());
            ProxyStage stage;
            if (r.inlineUpstream()) {
                String key = "inline " + r.upstream();
                UpstreamClient client = (UpstreamClient) resources.computeIfAbsent(key,
                        k -> old.containsKey(k) ? old.get(k) : new ApacheUpstreamClient(
                                UpstreamConfig.DEFAULT_CONNECT_TIMEOUT, UpstreamConfig.DEFAULT_TIMEOUT,
                                INLINE_CONNECTIONS_PER_TARGET));
                stage = new ProxyStage(r.upstream(), new UrlTemplateResolver(r.upstream()), client, rewrite, maxBody);
            } else {
                UpstreamPool pool = pools.get(r.upstream());
                stage = new ProxyStage(r.upstream(), pool, pool.client(), rewrite, maxBody);
            }
            router.add(new RouteSpec(r.name(), PathPattern.parse(r.path()), new HashSet<>(r.methods()), r.host(),
                    r.headers()), stage);
        }
        return new RuntimeSnapshot(loaded, router.build(), resources);
    }
}
