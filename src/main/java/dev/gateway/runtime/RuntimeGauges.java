package dev.gateway.runtime;

import java.util.List;
import java.util.function.Consumer;

import dev.gateway.observe.Exposition;
import dev.gateway.proxy.UpstreamPool;
import dev.gateway.ratelimit.RedisStore;

/**
 * The gauges read from the running gateway at each scrape: requests in flight, open WebSockets, each target's
 * availability, each breaker's state, the rate-limit store's failures, and the loaded config's hash and load time.
 */
final class RuntimeGauges implements Consumer<Exposition> {
    private static final List<String> BREAKER_STATES = List.of("closed", "open", "half-open");

    private final SnapshotHolder holder;
    private final GatewayServer gateway;

    RuntimeGauges(SnapshotHolder holder, GatewayServer gateway) {
        this.holder = holder;
        this.gateway = gateway;
    }

    @Override
    public void accept(Exposition out) {
        RuntimeSnapshot snapshot = holder.current();
        out.family("gateway_requests_in_flight", "gauge", "Requests being handled now.");
        out.sample("gateway_requests_in_flight", gateway.inFlight());
        out.family("gateway_websocket_connections", "gauge", "WebSockets being relayed now.");
        out.sample("gateway_websocket_connections", gateway.openWebSockets());
        out.family("gateway_upstream_target_up", "gauge",
                "1 when the target is in rotation (healthy and not ejected), else 0.");
        snapshot.upstreams().forEach((name, pool) -> {
            for (UpstreamPool.TargetStatus t : pool.targetStatus()) {
                out.sample("gateway_upstream_target_up", t.available() ? 1 : 0, "upstream", name, "target", t.url());
            }
        });
        out.family("gateway_circuit_breaker_state", "gauge", "1 for the state each upstream's breaker is in.");
        snapshot.upstreams().forEach((name, pool) -> pool.breakerState().ifPresent(state -> {
            for (String s : BREAKER_STATES) {
                out.sample("gateway_circuit_breaker_state", s.equals(state) ? 1 : 0, "upstream", name, "state", s);
            }
        }));
        out.family("gateway_rate_limit_store_failures_total", "counter",
                "Rate-limit store commands that failed or timed out (Redis).");
        snapshot.store().ifPresent(store -> {
            if (store instanceof RedisStore redis) out.sample("gateway_rate_limit_store_failures_total", redis.failures());
        });
        out.family("gateway_config_info", "gauge", "The loaded config file's SHA-256 (always 1).");
        out.sample("gateway_config_info", 1, "sha256", snapshot.loaded().sha256());
        out.family("gateway_config_loaded_timestamp_seconds", "gauge", "When the serving config was loaded.");
        out.sample("gateway_config_loaded_timestamp_seconds", snapshot.builtAt().toEpochMilli() / 1000.0);
    }
}
