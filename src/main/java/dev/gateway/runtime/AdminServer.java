package dev.gateway.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.gateway.config.AdminConfig;
import dev.gateway.config.RedactedSource;
import dev.gateway.observe.Metrics;
import dev.gateway.observe.RouteTable;
import dev.gateway.pipeline.Exchange;
import dev.gateway.tls.ServerIdentity;
import dev.gateway.pipeline.Json;
import dev.gateway.pipeline.Problem;
import dev.gateway.proxy.UpstreamPool;
import dev.gateway.reload.ReloadResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The operator listener ({@code admin} in the file): {@code /metrics} (Prometheus text), {@code /health},
 * {@code /ready}, and the read-only admin API ({@code /admin/routes}, {@code /admin/upstreams},
 * {@code /admin/config}) as JSON. Only GET and HEAD; never shows a secret. Reads the current snapshot per request.
 */
public final class AdminServer {
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final List<String> PATHS = List.of("/metrics", "/health", "/ready", "/admin/routes",
            "/admin/upstreams", "/admin/config", "/admin/tls");

    private final SnapshotHolder holder;
    private final GatewayServer gateway;
    private final Metrics metrics;
    private final Supplier<ReloadResult> lastReload;
    private final WebServer server;

    /** {@code lastReload}: the last reload attempt's outcome, or null before the first. */
    public AdminServer(AdminConfig config, SnapshotHolder holder, GatewayServer gateway, Metrics metrics,
                       Supplier<ReloadResult> lastReload) {
        this.holder = holder;
        this.gateway = gateway;
        this.metrics = metrics;
        this.lastReload = lastReload;
        this.server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .contentEncoding(c -> c.contentEncodingsDiscoverServices(false))
                .routing(r -> r.any(this::handle))
                .build();
    }

    /** Binds and starts; returns the bound port. Throws when the address cannot be bound. */
    public int start() {
        server.start();
        if (server.port() < 0) {
            server.stop();
            throw new IllegalStateException("cannot listen for admin on " + server.prototype().host() + ":"
                    + server.prototype().port() + " (address in use, or not an address of this machine?)");
        }
        return server.port();
    }

    public void stop() {
        server.stop();
    }

    private void handle(ServerRequest req, ServerResponse res) {
        String method = req.prologue().method().text();
        String path = req.prologue().uriPath().rawPath();
        Exchange ex = GatewayHandler.exchange(req.remotePeer().address(), req.headers(), method, path);
        if (!PATHS.contains(path)) {
            Problem.send(res, ex, 404, "no admin endpoint " + path + " (known: " + String.join(", ", PATHS) + ")");
            return;
        }
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            res.header(HeaderValues.create(HeaderNames.ALLOW, "GET, HEAD"));
            Problem.send(res, ex, 405, "the admin API is read-only: use GET");
            return;
        }
        switch (path) {
            case "/metrics" -> GatewayHandler.sendUncached(res, Status.OK_200, PROMETHEUS,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8), head);
            case "/health" -> GatewayHandler.health(res, gateway.draining(), head);
            case "/ready" -> GatewayHandler.ready(res, gateway.readiness(), head);
            case "/admin/routes" -> json(res, routes(), head);
            case "/admin/upstreams" -> json(res, upstreams(), head);
            case "/admin/tls" -> json(res, Map.of("certificates",
                    gateway.certificates().stream().map(ServerIdentity::summary).toList()), head);
            default -> json(res, config(), head);
        }
    }

    private Map<String, Object> routes() {
        RuntimeSnapshot snapshot = holder.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config_sha256", snapshot.loaded().sha256());
        out.put("routes", RouteTable.rows(snapshot.loaded()).stream().map(RouteTable.Row::json).toList());
        return out;
    }

    private Map<String, Object> upstreams() {
        List<Object> list = new ArrayList<>();
        holder.current().upstreams().forEach((name, pool) -> {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("name", name);
            u.put("balance", pool.config().balance().configName());
            u.put("circuit_breaker", pool.breakerState().orElse(null));
            List<Object> targets = new ArrayList<>();
            for (UpstreamPool.TargetStatus t : pool.targetStatus()) {
                Map<String, Object> target = new LinkedHashMap<>();
                target.put("url", t.url());
                target.put("weight", t.weight());
                target.put("healthy", t.healthy());
                target.put("ejected", t.ejected());
                target.put("available", t.available());
                target.put("in_flight", t.inFlight());
                targets.add(target);
            }
            u.put("targets", targets);
            list.add(u);
        });
        return Map.of("upstreams", list);
    }

    private Map<String, Object> config() {
        RuntimeSnapshot snapshot = holder.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", snapshot.loaded().file().toString());
        out.put("sha256", snapshot.loaded().sha256());
        out.put("loaded_at", snapshot.builtAt().toString());
        out.put("config", RedactedSource.tree(snapshot.loaded()));
        ReloadResult last = lastReload.get();
        if (last == null) {
            out.put("last_reload", null);
        } else {
            Map<String, Object> reload = new LinkedHashMap<>();
            reload.put("at", last.at().toString());
            reload.put("result", last.applied() ? "applied" : "rejected");
            reload.put("sha256", last.sha256());
            reload.put("errors", last.errors());
            out.put("last_reload", reload);
        }
        return out;
    }

    private static void json(ServerResponse res, Object body, boolean head) {
        GatewayHandler.sendUncached(res, Status.OK_200, "application/json",
                Json.write(body).getBytes(StandardCharsets.UTF_8), head);
    }
}
