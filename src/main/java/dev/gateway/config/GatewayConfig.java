package dev.gateway.config;

import java.util.List;
import java.util.Map;

/** The whole gateway file, bound and validated; immutable, compares by meaning (locations live in {@link LoadedConfig}). */
public record GatewayConfig(ListenConfig listen, Map<String, UpstreamConfig> upstreams, List<RouteConfig> routes) {
    public GatewayConfig {
        upstreams = Map.copyOf(upstreams);
        routes = List.copyOf(routes);
    }
}
