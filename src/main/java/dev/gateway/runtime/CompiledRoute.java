package dev.gateway.runtime;

import java.util.Optional;

import dev.gateway.auth.AuthStage;
import dev.gateway.cors.CorsPolicy;
import dev.gateway.proxy.ProxyStage;
import dev.gateway.ratelimit.RateLimitStage;
import dev.gateway.websocket.WebSocketStage;

/**
 * A route as the handler runs it, in request order: its CORS policy (the route's own, else the file's; empty for
 * none), its bearer-token gate, its rate limits, the proxy step, and its WebSocket settings (empty: upgrades are
 * refused). Immutable; built by {@link SnapshotFactory}.
 */
public record CompiledRoute(String name, Optional<CorsPolicy> cors, AuthStage auth, RateLimitStage rateLimit,
                            ProxyStage proxy, Optional<WebSocketStage> webSocket) {
}
