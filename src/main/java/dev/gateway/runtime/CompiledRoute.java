package dev.gateway.runtime;

import java.util.Optional;

import dev.gateway.auth.AuthStage;
import dev.gateway.cors.CorsPolicy;
import dev.gateway.proxy.ProxyStage;

/**
 * A route as the handler runs it, in request order: its CORS policy (the route's own, else the file's; empty for
 * none), its bearer-token gate, and the proxy step. Immutable; built by {@link SnapshotFactory}.
 */
public record CompiledRoute(String name, Optional<CorsPolicy> cors, AuthStage auth, ProxyStage proxy) {
}
