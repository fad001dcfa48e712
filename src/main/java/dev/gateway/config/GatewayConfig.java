package dev.gateway.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole gateway file, bound and validated; immutable, compares by meaning (locations live in {@link LoadedConfig}).
 *
 * @param jwt          how bearer tokens are verified; empty when the file has no {@code jwt} section (then every
 *                     route is {@code auth: public})
 * @param cors         the cross-origin rules for routes without their own {@code cors}; empty for none
 * @param stripHeaders request headers removed before proxying: lower-case names, or prefixes ending in {@code *}
 *                     ({@code x-internal-*})
 * @param rateLimits   the rate-limit store and policies; empty when the file has none
 * @param clientIp     which proxies' X-Forwarded-For is believed when finding the client's address
 * @param cache        the response cache's size ({@link CacheConfig#DEFAULTS} when not written)
 * @param admin        the operator listener (metrics, readiness, admin API); empty when the file has none
 * @param readiness    what {@code /ready} requires ({@link ReadinessConfig#DEFAULTS} when not written)
 */
public record GatewayConfig(ListenConfig listen, Optional<JwtConfig> jwt, Optional<CorsConfig> cors,
                            List<String> stripHeaders, Optional<RateLimitsConfig> rateLimits, ClientIpConfig clientIp,
                            CacheConfig cache, Optional<AdminConfig> admin, ReadinessConfig readiness,
                            Map<String, UpstreamConfig> upstreams, List<RouteConfig> routes) {
    public GatewayConfig {
        stripHeaders = List.copyOf(stripHeaders);
        upstreams = Map.copyOf(upstreams);
        routes = List.copyOf(routes);
    }
}
