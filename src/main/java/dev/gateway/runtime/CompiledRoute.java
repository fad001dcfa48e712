package dev.gateway.runtime;

import java.util.Optional;

import dev.gateway.auth.AuthStage;
import dev.gateway.cors.CorsPolicy;
import dev.gateway.proxy.ProxyStage;
import dev.gateway.ratelimit.RateLimitStage;

/**
 * A route as the handler runs it, in request order: its CORS policy (the route's own, else the file's; empty for
 * none), its bearer-token gate, its rate limits, and the proxy step. Immutable; built by {@link SnapshotFactory}.
 */
public record CompiledRoute(String name, Optional<CorsPolicy> cors, AuthStage auth, RateLimitStage rateLimit,
                            ProxyStage proxy) {
}
