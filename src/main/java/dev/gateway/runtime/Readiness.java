package dev.gateway.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.gateway.pipeline.Json;
import dev.gateway.proxy.UpstreamPool;

/**
 * Answers {@code GET /ready}: ready when a config is serving, the gateway is not draining and, where the file says
 * {@code readiness: { require-healthy-upstreams: true }}, every upstream has a target in rotation. The JSON body
 * says why not. Thread-safe.
 */
public final class Readiness {
    /** The answer: whether ready, and the JSON body. */
    public record Report(boolean ready, String json) {
    }

    private final SnapshotHolder holder;
    private final BooleanSupplier draining;

    Readiness(SnapshotHolder holder, BooleanSupplier draining) {
        this.holder = holder;
        this.draining = draining;
    }

    public Report check() {
        RuntimeSnapshot snapshot = holder.current();
        boolean requireHealthy = snapshot.loaded().config().readiness().requireHealthyUpstreams();
        List<String> reasons = new ArrayList<>();
        boolean drain = draining.getAsBoolean();
        if (drain) reasons.add("the gateway is draining (shutting down)");
        List<Object> upstreams = new ArrayList<>();
        snapshot.upstreams().forEach((name, pool) -> {
            List<UpstreamPool.TargetStatus> targets = pool.targetStatus();
            long available = targets.stream().filter(UpstreamPool.TargetStatus::available).count();
            if (requireHealthy && available == 0) reasons.add("upstream '" + name + "' has no target in rotation");
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("name", name);
            u.put("available", available);
            u.put("targets", targets.size());
            upstreams.add(u);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reasons.isEmpty() ? "ready" : "not ready");
        body.put("reasons", reasons);
        body.put("draining", drain);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("file", snapshot.loaded().file().toString());
        config.put("sha256", snapshot.loaded().sha256());
        config.put("loaded_at", snapshot.builtAt().toString());
        body.put("config", config);
        body.put("require_healthy_upstreams", requireHealthy);
        body.put("upstreams", upstreams);
        return new Report(reasons.isEmpty(), Json.write(body));
    }
}
