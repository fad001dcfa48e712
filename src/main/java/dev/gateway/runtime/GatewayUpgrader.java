package dev.gateway.runtime;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.gateway.auth.AuthDecision;
import dev.gateway.observe.AccessLog;
import dev.gateway.observe.Metrics;
import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Problem;
import dev.gateway.proxy.TargetResolver;
import dev.gateway.proxy.UpstreamHandshake;
import dev.gateway.ratelimit.RateLimitDecision;
import dev.gateway.routing.InvalidPathException;
import dev.gateway.routing.PathNormalizer;
import dev.gateway.routing.RouteMatch;
import dev.gateway.websocket.WebSocketSessions;
import dev.gateway.websocket.WebSocketStage;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Decides every {@code Upgrade: websocket} request against the current snapshot before anything is switched: a
 * route with a {@code websocket} section runs its auth and rate limits, then the upstream's upgrade; only after the
 * upstream's 101 does the client get its 101 and the relay start. A refusal (401/403/429/503, the upstream's own
 * status, 502/504) is a problem+json answer and the connection closes. Requests for no route, for a route without
 * {@code websocket}, or while draining are left to the {@link GatewayHandler}, which refuses them like any request.
 */
final class GatewayUpgrader implements Http1Upgrader {
    private static final HeaderName WS_KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName WS_VERSION = HeaderNames.create("Sec-WebSocket-Version");
    private static final HeaderName WS_PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");
    private static final byte[] KEY_SUFFIX = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private final SnapshotHolder holder;
    private final AccessLog accessLog;
    private final BooleanSupplier draining;
    private final WebSocketSessions sessions;
    private final Metrics metrics;

    GatewayUpgrader(SnapshotHolder holder, AccessLog accessLog, BooleanSupplier draining, WebSocketSessions sessions,
                    Metrics metrics) {
        this.metrics = metrics;
        this.holder = holder;
        this.accessLog = accessLog;
        this.draining = draining;
        this.sessions = sessions;
    }

    @Override
    public String supportedProtocol() {
        return "websocket";
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        // not upgraded: GatewayHandler answers such a request (a bad Host header: 400)
        if (draining.getAsBoolean() || !prologue.method().text().equals("GET")
                || GatewayHandler.refusal(headers) != null) {
            return null;
        }
        String rawPath = prologue.uriPath().rawPath();
        String path;
        try {
            path = PathNormalizer.normalize(rawPath);
        } catch (InvalidPathException e) {
            return null;
        }
        Function<String, String> header = name -> headers.first(HeaderNames.create(name)).orElse(null);
        RuntimeSnapshot snapshot = holder.acquire();
        Exchange ex;
        RouteMatch.Found<CompiledRoute> found;
        try {
            String host = headers.first(HeaderNames.HOST).orElse(null);
            if (!(snapshot.router().match("GET", host, path, header) instanceof RouteMatch.Found<CompiledRoute> f)
                    || f.value().webSocket().isEmpty()) {
                return null;
            }
            found = f;
            SocketAddress remote = ctx.remotePeer().address();
            ex = GatewayHandler.exchange(remote, headers, "GET", rawPath);
            GatewayHandler.resolveClient(ex, remote, headers, snapshot);
        } finally {
            holder.release(snapshot);
        }
        // the route is kept, not the snapshot: an open socket must not keep a retired snapshot from closing
        CompiledRoute route = found.value();
        ex.route(route.name(), route.proxy().upstreamName());
        try {
            return decide(ctx, prologue, headers, header, ex, route, path, found);
        } finally {
            long end = System.nanoTime();
            accessLog.record(ex, end);
            metrics.request(ex, end);
        }
    }

    private ServerConnection decide(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers,
                                    Function<String, String> header, Exchange ex, CompiledRoute route, String path,
                                    RouteMatch.Found<CompiledRoute> found) {
        WebSocketStage stage = route.webSocket().orElseThrow();
        String wsKey = headers.first(WS_KEY).orElse(null);
        String acceptKey = wsKey == null ? null : acceptKey(wsKey);
        if (acceptKey == null || !headers.first(WS_VERSION).orElse("13").equals("13")) {
            throw refuse(ctx, ex, 400, "a WebSocket upgrade needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13",
                    List.of(Map.entry("Sec-WebSocket-Version", "13")));
        }
        String rawQuery = prologue.query().rawValue();
        List<String> protocols = protocols(headers);
        List<String> authorization = stage.authorization(headers.contains(HeaderNames.AUTHORIZATION)
                ? headers.get(HeaderNames.AUTHORIZATION).allValues() : List.of(), rawQuery, protocols);
        List<Map.Entry<String, String>> identity;
        String subject;
        switch (route.auth().decide(authorization)) {
            case AuthDecision.Denied denied -> {
                metrics.jwtRejected(route.name(), denied.reason().label());
                throw refuse(ctx, ex, denied.status(), denied.detail(),
                        List.of(Map.entry("WWW-Authenticate", denied.challenge())));
            }
            case AuthDecision.Allowed allowed -> {
                identity = allowed.identityHeaders();
                subject = allowed.subject();
            }
        }
        List<Map.Entry<String, String>> limitHeaders = new ArrayList<>();
        RateLimitDecision decision = route.rateLimit().check(ex.clientIp(), subject, header);
        GatewayHandler.count(metrics, route, decision);
        switch (decision) {
            case RateLimitDecision.Pass pass -> pass.headers().forEach(limitHeaders::add);
            case RateLimitDecision.Limited limited -> throw refuse(ctx, ex, 429, "rate limit '" + limited.policy()
                    + "' exceeded; retry in " + limited.retryAfterSeconds() + "s", limited.headers());
            case RateLimitDecision.Unavailable u -> throw refuse(ctx, ex, 503, "the rate-limit store is unavailable",
                    List.of(Map.entry("Retry-After", "1")));
        }
        UpstreamHandshake handshake;
        try {
            handshake = route.proxy().webSocketHandshake(headers, stage.upstreamQuery(rawQuery), ex, path,
                    found.variables(), found.rest(), identity);
        } catch (TargetResolver.InvalidTargetException e) {
            throw refuse(ctx, ex, 400, e.getMessage(), List.of());
        }
        ex.target(handshake.origin());
        String upstream = "upstream '" + route.proxy().upstreamName() + "'";
        switch (sessions.open(stage, handshake, stage.upstreamProtocols(protocols))) {
            case WebSocketSessions.Opened.Refused refused -> throw refuse(ctx, ex, refused.status(),
                    upstream + " refused the WebSocket upgrade with " + refused.status(), limitHeaders);
            case WebSocketSessions.Opened.Failed failed -> throw refuse(ctx, ex, failed.timeout() ? 504 : 502,
                    failed.timeout() ? upstream + " did not accept the WebSocket in time" : upstream
                            + " is unavailable", List.of());
            case WebSocketSessions.Opened.Connected connected -> {
                WritableHeaders<?> answer = WritableHeaders.create();
                if (connected.subprotocol() != null && !connected.subprotocol().isEmpty()) {
                    answer.set(WS_PROTOCOL, connected.subprotocol());
                }
                answer.set(Problem.X_REQUEST_ID, ex.requestId());
                limitHeaders.forEach(h -> answer.add(HeaderNames.create(h.getKey()), h.getValue()));
                StringBuilder b = new StringBuilder(256).append("HTTP/1.1 101 Switching Protocols\r\n")
                        .append("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ")
                        .append(acceptKey).append("\r\n");
                answer.forEach(h -> b.append(h.name()).append(": ").append(h.get()).append("\r\n"));
                try {
                    ctx.dataWriter().write(BufferData.create(b.append("\r\n").toString()
                            .getBytes(StandardCharsets.ISO_8859_1)));
                    ctx.dataWriter().flush();
                } catch (RuntimeException e) {
                    sessions.discard(connected);
                    throw e;
                }
                ex.status(101);
                return sessions.accept(connected, ctx, prologue, answer, wsKey);
            }
        }
    }

    /** Sec-WebSocket-Accept for {@code wsKey} (RFC 6455 4.2.2), or null when the key is not 16 base64 bytes. */
    private static String acceptKey(String wsKey) {
        try {
            if (java.util.Base64.getDecoder().decode(wsKey).length != 16) return null;
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            sha1.update(wsKey.getBytes(StandardCharsets.US_ASCII));
            return java.util.Base64.getEncoder().encodeToString(sha1.digest(KEY_SUFFIX));
        } catch (IllegalArgumentException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static List<String> protocols(WritableHeaders<?> headers) {
        if (!headers.contains(WS_PROTOCOL)) return List.of();
        List<String> out = new ArrayList<>();
        for (String line : headers.get(WS_PROTOCOL).allValues()) {
            Arrays.stream(line.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    /** Writes a problem+json refusal straight to the connection and ends it (a refused upgrade is not reused). */
    private static CloseConnectionException refuse(ConnectionContext ctx, Exchange ex, int status, String detail,
                                                   List<Map.Entry<String, String>> extra) {
        Status s = Status.create(status);
        byte[] body = new Problem(status, s.reasonPhrase(), detail, ex.requestId()).body();
        ex.status(status);
        ex.bytesOut(body.length);
        StringBuilder b = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(s.reasonPhrase()).append("\r\nContent-Type: ").append(Problem.CONTENT_TYPE)
                .append("\r\nContent-Length: ").append(body.length).append("\r\nConnection: close\r\nX-Request-Id: ")
                .append(ex.requestId()).append("\r\n");
        for (Map.Entry<String, String> h : extra) b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        byte[] head = b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        ctx.dataWriter().write(BufferData.create(all));
        ctx.dataWriter().flush();
        return new CloseConnectionException("WebSocket upgrade refused with " + status);
    }
}
