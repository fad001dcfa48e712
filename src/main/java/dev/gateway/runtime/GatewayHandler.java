package dev.gateway.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.gateway.auth.AuthDecision;
import dev.gateway.cors.CorsPolicy;

import dev.gateway.observe.AccessLog;
import dev.gateway.ratelimit.RateLimitDecision;
import dev.gateway.observe.EventLog;
import dev.gateway.observe.Metrics;
import dev.gateway.observe.RequestIds;
import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Problem;
import dev.gateway.pipeline.ResponseHeaders;
import dev.gateway.pipeline.TraceContext;
import dev.gateway.proxy.ForwardedHeaders;
import dev.gateway.routing.InvalidPathException;
import dev.gateway.routing.PathNormalizer;
import dev.gateway.routing.RouteMatch;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The single Helidon handler: answers {@code /health} and {@code /ready}, takes the current snapshot, normalises
 * and routes the path (400/404/405), answers CORS preflights, then runs the route's stages in order (CORS headers,
 * bearer-token gate, proxy), writes the access log line and counts the request in the metrics. Never builds
 * anything.
 */
final class GatewayHandler implements Handler {
    private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    private static final byte[] SERVING = "{\"status\":\"serving\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DRAINING = "{\"status\":\"draining\"}".getBytes(StandardCharsets.US_ASCII);

    private final SnapshotHolder holder;
    private final AccessLog accessLog;
    private final EventLog events;
    private final BooleanSupplier draining;
    private final Metrics metrics;
    private final Readiness readiness;
    private final LongAdder inFlight = new LongAdder();

    GatewayHandler(SnapshotHolder holder, AccessLog accessLog, EventLog events, BooleanSupplier draining,
                   Metrics metrics, Readiness readiness) {
        this.holder = holder;
        this.accessLog = accessLog;
        this.events = events;
        this.draining = draining;
        this.metrics = metrics;
        this.readiness = readiness;
    }

    /** Requests being handled now, across snapshots. */
    long inFlight() {
        return inFlight.sum();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        boolean closeAsked = ForwardedHeaders.connectionTokens(req.headers()).contains("close");
        if (closeAsked) res.header(HeaderValues.CONNECTION_CLOSE);
        answer(req, res);
        // RFC 9112 section 9.6: after the response the server closes a connection that either side marked "close".
        // Helidon (4.2.6 and 4.5.0) sends the header but keeps reading until the client closes; then the client's
        // ports linger in TIME_WAIT and new connections get slow (p99 28 ms at 14k connections/s in scripts/bench)
        if (res.isSent() && (closeAsked || res.headers().contains(HeaderValues.CONNECTION_CLOSE))) {
            throw new CloseConnectionException("the connection was marked close");
        }
    }

    /**
     * Why a request is refused before anything else (its Host header is not valid): the status and the detail to
     * answer with. Helidon itself refuses request framing that could smuggle a request (Transfer-Encoding with
     * Content-Length, a coding after chunked, two Content-Length lines, a signed length) and closes the connection.
     */
    record Refusal(int status, String detail) {
    }

    /** Null when the request may be handled; else why it is refused. */
    static Refusal refusal(Headers headers) {
        String host = HostHeader.problem(headers);
        return host == null ? null : new Refusal(400, host);
    }

    private void answer(ServerRequest req, ServerResponse res) {
        String method = req.prologue().method().text();
        String rawPath = req.prologue().uriPath().rawPath();
        Refusal refusal = refusal(req.headers());
        if (refusal == null && (method.equals("GET") || method.equals("HEAD"))
                && (rawPath.equals("/health") || rawPath.equals("/ready"))) {
            if (rawPath.equals("/health")) {
                health(res, draining.getAsBoolean(), method.equals("HEAD"));
            } else {
                ready(res, readiness, method.equals("HEAD"));
            }
            return;
        }
        inFlight.increment();
        PeerInfo peer = req.remotePeer(); // a new object on every call
        SocketAddress remote = peer.address();
        Exchange ex = exchange(remote, req.headers(), method, rawPath);
        ex.connection(peer instanceof Http10Connections.Http10Peer ? "HTTP/1.0" : protocol(req.prologue()),
                req.isSecure());
        try {
            if (refusal != null) {
                res.header(HeaderValues.CONNECTION_CLOSE);
                Problem.send(res, ex, refusal.status(), refusal.detail());
                return;
            }
            if (draining.getAsBoolean()) {
                res.header(HeaderValues.CONNECTION_CLOSE);
                Problem.send(res, ex, 503, "the gateway is shutting down");
                return;
            }
            RuntimeSnapshot snapshot = holder.acquire();
            try {
                resolveClient(ex, remote, req.headers(), snapshot);
                route(snapshot, req, res, ex, method, rawPath, metrics);
            } finally {
                holder.release(snapshot);
            }
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            events.error("request " + ex.requestId() + " failed: " + e);
            if (!res.isSent()) {
                Problem.send(res, ex, 500, "the gateway failed to handle this request");
            } else {
                throw new CloseConnectionException("response failed after it started", e);
            }
        } finally {
            inFlight.decrement();
            long end = System.nanoTime();
            accessLog.record(ex, end);
            metrics.request(ex, end);
        }
    }

    /**
     * A new exchange for a request from {@code remote}: the request id it brought (when well formed), else the id of
     * the trace it starts (random and new, so one id finds the request in both logs and traces), else a new one.
     */
    static Exchange exchange(SocketAddress remote, Headers headers, String method, String rawPath) {
        InetAddress peer = peer(remote);
        TraceContext trace = TraceContext.of(headers.first(TRACEPARENT).orElse(null));
        return new Exchange(System.nanoTime(), System.currentTimeMillis(),
                RequestIds.acceptOr(headers.first(Problem.X_REQUEST_ID).orElse(null),
                        trace.continued() ? null : trace.traceId()),
                trace, peer == null ? String.valueOf(remote) : peer.getHostAddress(), method, rawPath);
    }

    /** {@code HTTP/1.1} or {@code HTTP/2.0}, as the access log writes it: no new string for the usual versions. */
    static String protocol(HttpPrologue prologue) {
        return switch (prologue.protocolVersion()) {
            case "1.1" -> "HTTP/1.1";
            case "2.0" -> "HTTP/2.0";
            default -> prologue.protocol() + "/" + prologue.protocolVersion();
        };
    }

    /** Makes the exchange's client what the snapshot's trusted proxies reported in X-Forwarded-For, if they did. */
    static void resolveClient(Exchange ex, SocketAddress remote, Headers headers, RuntimeSnapshot snapshot) {
        InetAddress peer = peer(remote);
        if (peer != null && headers.contains(HeaderNames.X_FORWARDED_FOR)) {
            ex.clientIp(snapshot.clientIp().resolve(peer, headers.get(HeaderNames.X_FORWARDED_FOR).allValues()));
        }
    }

    private static InetAddress peer(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    private static void route(RuntimeSnapshot snapshot, ServerRequest req, ServerResponse res, Exchange ex,
                              String method, String rawPath, Metrics metrics) {
        Function<String, String> header = name -> req.headers().first(HeaderNames.create(name)).orElse(null);
        String path;
        try {
            path = PathNormalizer.normalize(rawPath);
        } catch (InvalidPathException e) {
            withCors(res, snapshot.cors(), header);
            Problem.send(res, ex, 400, e.getMessage());
            return;
        }
        String host = req.headers().first(HeaderNames.HOST).orElse(null);
        if (CorsPolicy.isPreflight(method, header) && preflight(snapshot, res, ex, header, host, path)) return;
        RouteMatch<CompiledRoute> match = snapshot.router().match(method, host, path, header);
        switch (match) {
            case RouteMatch.Found<CompiledRoute> found -> {
                CompiledRoute route = found.value();
                ex.route(route.name(), route.proxy().upstreamName());
                withCors(res, route.cors(), header);
                if (webSocketUpgrade(req.headers())) {
                    // the upgrader accepts upgrades on websocket routes; what reaches here is refused, never proxied
                    Problem.send(res, ex, 400, route.webSocket().isPresent()
                            ? "a WebSocket upgrade must be a GET without content"
                            : "route '" + route.name() + "' does not accept WebSocket upgrades");
                    return;
                }
                List<String> authorization = req.headers().contains(HeaderNames.AUTHORIZATION)
                        ? req.headers().get(HeaderNames.AUTHORIZATION).allValues() : List.of();
                switch (route.auth().decide(authorization)) {
                    case AuthDecision.Denied denied -> {
                        metrics.jwtRejected(route.name(), denied.reason().label());
                        res.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, denied.challenge()));
                        Problem.send(res, ex, denied.status(), denied.detail());
                    }
                    case AuthDecision.Allowed allowed -> {
                        if (limit(route, res, ex, allowed.subject(), header, metrics)) {
                            route.proxy().handle(req, res, ex, path, found.variables(), found.rest(),
                                    allowed.identityHeaders());
                        }
                    }
                }
            }
            case RouteMatch.MethodNotAllowed<CompiledRoute> m -> {
                withCors(res, snapshot.cors(), header);
                res.header(HeaderValues.create(HeaderNames.ALLOW, String.join(", ", m.allowed())));
                Problem.send(res, ex, 405, "method " + method + " is not allowed here (allowed: "
                        + String.join(", ", m.allowed()) + ")");
            }
            case RouteMatch.NotFound<CompiledRoute> n -> {
                withCors(res, snapshot.cors(), header);
                Problem.send(res, ex, 404, "no route matches " + method + " " + rawPath);
            }
        }
    }

    private static boolean webSocketUpgrade(Headers headers) {
        if (!headers.contains(HeaderNames.UPGRADE)) return false;
        for (String token : headers.get(HeaderNames.UPGRADE).get().split(",")) {
            if (token.strip().equalsIgnoreCase("websocket")) return true;
        }
        return false;
    }

    /** Applies the route's rate limits; true when the request may go on (its RateLimit-* headers are set). */
    private static boolean limit(CompiledRoute route, ServerResponse res, Exchange ex, String subject,
                                 Function<String, String> header, Metrics metrics) {
        RateLimitDecision decision = route.rateLimit().check(ex.clientIp(), subject, header);
        count(metrics, route, decision);
        switch (decision) {
            case RateLimitDecision.Pass pass -> {
                for (Map.Entry<String, String> h : pass.headers()) {
                    ResponseHeaders.add(res.headers(), h.getKey(), h.getValue());
                }
                return true;
            }
            case RateLimitDecision.Limited limited -> {
                for (Map.Entry<String, String> h : limited.headers()) res.header(h.getKey(), h.getValue());
                Problem.send(res, ex, 429, "rate limit '" + limited.policy() + "' exceeded; retry in "
                        + limited.retryAfterSeconds() + "s");
                return false;
            }
            case RateLimitDecision.Unavailable unavailable -> {
                res.header(HeaderValues.create(HeaderNames.RETRY_AFTER, "1"));
                Problem.send(res, ex, 503, "the rate-limit store is unavailable");
                return false;
            }
        }
    }

    /** Counts a rate-limit decision of a limited route (unlimited routes count nothing). */
    static void count(Metrics metrics, CompiledRoute route, RateLimitDecision decision) {
        if (!route.rateLimit().isLimited()) return;
        metrics.rateLimit(route.name(), switch (decision) {
            case RateLimitDecision.Pass pass -> pass.storeFailed() ? Metrics.Decision.STORE_ERROR : Metrics.Decision.ALLOWED;
            case RateLimitDecision.Limited limited -> Metrics.Decision.LIMITED;
            case RateLimitDecision.Unavailable unavailable -> Metrics.Decision.STORE_ERROR;
        });
    }

    /**
     * Answers a CORS preflight itself, with the policy of the route that would serve the actual request (its
     * method is Access-Control-Request-Method), or the file's policy when no route would. Returns false when
     * neither has a policy: then the OPTIONS request is routed like any other.
     */
    private static boolean preflight(RuntimeSnapshot snapshot, ServerResponse res, Exchange ex,
                                     Function<String, String> header, String host, String path) {
        String actualMethod = header.apply("access-control-request-method").strip();
        RouteMatch<CompiledRoute> match = snapshot.router().matchPreflight(actualMethod, host, path, header,
                CorsPolicy.requestedHeaders(header));
        Optional<CorsPolicy> policy = snapshot.cors();
        if (match instanceof RouteMatch.Found<CompiledRoute> found) {
            policy = found.value().cors();
            ex.route(found.value().name(), null);
        }
        if (policy.isEmpty()) return false;
        CorsPolicy.Answer answer = policy.get().preflight(header);
        for (Map.Entry<String, String> h : answer.headers()) res.header(h.getKey(), h.getValue());
        if (answer.status() == 204) {
            ex.status(204);
            res.status(Status.NO_CONTENT_204);
            res.header(Problem.X_REQUEST_ID, ex.requestId());
            res.send();
        } else {
            Problem.send(res, ex, answer.status(), "cross-origin request refused by the CORS policy (origin, method or"
                    + " headers not allowed)");
        }
        return true;
    }

    /** Adds the CORS headers of an actual (non-preflight) response: before anything else, so errors carry them. */
    private static void withCors(ServerResponse res, Optional<CorsPolicy> policy, Function<String, String> header) {
        if (policy.isEmpty()) return;
        for (Map.Entry<String, String> h : policy.get().actualResponseHeaders(header)) {
            ResponseHeaders.add(res.headers(), h.getKey(), h.getValue());
        }
    }

    /** Liveness ({@code /health}, on both listeners): 200 serving, 503 draining. */
    static void health(ServerResponse res, boolean draining, boolean head) {
        probe(res, !draining, draining ? DRAINING : SERVING, head);
    }

    /** Readiness ({@code /ready}, on both listeners), with its JSON detail. */
    static void ready(ServerResponse res, Readiness readiness, boolean head) {
        Readiness.Report report = readiness.check();
        probe(res, report.ready(), report.json().getBytes(StandardCharsets.UTF_8), head);
    }

    /** A probe's answer: 200 or 503 with a small JSON body that is never cached. */
    private static void probe(ServerResponse res, boolean up, byte[] body, boolean head) {
        sendUncached(res, up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, "application/json", body, head);
    }

    /** A small answer of the gateway's own that is never cached; a HEAD gets the length without the body. */
    static void sendUncached(ServerResponse res, Status status, String contentType, byte[] body, boolean head) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderValues.CACHE_NO_CACHE);
        if (head) {
            // Helidon does not drop the body of a HEAD answer itself; one sent would corrupt the connection
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }
}
