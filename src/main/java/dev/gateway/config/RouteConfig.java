package dev.gateway.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One route: what it matches (path template, methods, host, headers) and where it sends the request.
 *
 * @param methods      upper-case method names; empty means any method
 * @param host         exact host or {@code *.suffix} wildcard, empty for any
 * @param headers      header name (lower case) to exact value; all must match
 * @param upstream     either the name of an entry in {@code upstreams}, or an inline URL template such as
 *                     {@code http://{app}.apps.internal:8080} (see {@link #inlineUpstream()})
 * @param rewrite      replaces the whole path, a template over the path variables ({@code {**}} is the rest)
 * @param stripPrefix  a template removed from the front of the path
 * @param maxBodySize  overrides {@code listen.max-body-size} for this route
 * @param auth         who may call the route; {@link AuthConfig#REQUIRED} unless the file says otherwise
 * @param cors         this route's cross-origin rules, replacing the top-level {@code cors} (not merged with it);
 *                     empty to use the top-level ones
 * @param rateLimits   the names of the {@code rate-limits} policies checked for this route, in order
 * @param cache        how this route's responses are cached; empty for not at all
 * @param websocket    present when the route accepts WebSocket upgrades (others refuse them)
 */
public record RouteConfig(String name, String path, List<String> methods, Optional<String> host,
                          Map<String, String> headers, String upstream, Optional<String> rewrite,
                          Optional<String> stripPrefix, Optional<Long> maxBodySize, AuthConfig auth,
                          Optional<CorsConfig> cors, List<String> rateLimits, Optional<RouteCacheConfig> cache,
                          Optional<WebSocketConfig> websocket) {
    public RouteConfig {
        rateLimits = List.copyOf(rateLimits);
        methods = List.copyOf(methods);
        headers = Map.copyOf(headers);
    }

    /** True when {@link #upstream()} is a URL (template) rather than the name of a configured upstream. */
    public boolean inlineUpstream() {
        return upstream.contains("://");
    }
}
