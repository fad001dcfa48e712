package dev.gateway.runtime;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import dev.gateway.observe.AccessLog;
import dev.gateway.observe.EventLog;
import dev.gateway.observe.RequestIds;
import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Problem;
import dev.gateway.proxy.ProxyStage;
import dev.gateway.routing.InvalidPathException;
import dev.gateway.routing.PathNormalizer;
import dev.gateway.routing.RouteMatch;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The single Helidon handler: answers {@code /health}, takes the current snapshot, normalises and routes the
 * path (400/404/405), runs the route's stage, and writes the access log line. Never builds anything.
 */
final class GatewayHandler implements Handler {
    private static final byte[] SERVING = "{\"status\":\"serving\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DRAINING = "{\"status\":\"draining\"}".getBytes(StandardCharsets.US_ASCII);

    private final SnapshotHolder holder;
    private final AccessLog accessLog;
    private final EventLog events;
    private final BooleanSupplier draining;
    private final LongAdder inFlight = new LongAdder();

    GatewayHandler(SnapshotHolder holder, AccessLog accessLog, EventLog events, BooleanSupplier draining) {
        this.holder = holder;
        this.accessLog = accessLog;
        this.events = events;
        this.draining = draining;
    }

    /** Requests being handled now, across snapshots. */
    long inFlight() {
        return inFlight.sum();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        String method = req.prologue().method().text();
        String rawPath = req.prologue().uriPath().rawPath();
        if (rawPath.equals("/health") && (method.equals("GET") || method.equals("HEAD"))) {
            health(res, method.equals("HEAD"));
            return;
        }
        inFlight.increment();
        Exchange ex = new Exchange(System.nanoTime(), System.currentTimeMillis(),
                RequestIds.acceptOrGenerate(req.headers().first(Problem.X_REQUEST_ID).orElse(null)),
                clientIp(req.remotePeer().address()), method, rawPath);
        try {
            if (draining.getAsBoolean()) {
                res.header(HeaderValues.CONNECTION_CLOSE);
                Problem.send(res, ex, 503, "the gateway is shutting down");
                return;
            }
            RuntimeSnapshot snapshot = holder.acquire();
            try {
                route(snapshot, req, res, ex, method, rawPath);
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
            accessLog.record(ex, System.nanoTime());
        }
    }

    private static void route(RuntimeSnapshot snapshot, ServerRequest req, ServerResponse res, Exchange ex,
                              String method, String rawPath) {
        String path;
        try {
            path = PathNormalizer.normalize(rawPath);
        } catch (InvalidPathException e) {
            Problem.send(res, ex, 400, e.getMessage());
            return;
        }
        String host = req.headers().first(HeaderNames.HOST).orElse(null);
        RouteMatch<ProxyStage> match = snapshot.router().match(method, host, path,
                name -> req.headers().first(HeaderNames.create(name)).orElse(null));
        switch (match) {
            case RouteMatch.Found<ProxyStage> found -> {
                ex.route(found.spec().name(), found.value().upstreamName());
                found.value().handle(req, res, ex, path, found.variables(), found.rest());
            }
            case RouteMatch.MethodNotAllowed<ProxyStage> m -> {
                res.header(HeaderValues.create(HeaderNames.ALLOW, String.join(", ", m.allowed())));
                Problem.send(res, ex, 405, "method " + method + " is not allowed here (allowed: "
                        + String.join(", ", m.allowed()) + ")");
            }
            case RouteMatch.NotFound<ProxyStage> n -> Problem.send(res, ex, 404, "no route matches " + method + " "
                    + rawPath);
        }
    }

    private void health(ServerResponse res, boolean head) {
        boolean down = draining.getAsBoolean();
        byte[] body = down ? DRAINING : SERVING;
        res.status(down ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderValues.CACHE_NO_CACHE);
        if (head) {
            // Helidon does not drop the body of a HEAD answer itself; one sent would corrupt the connection
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }

    private static String clientIp(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

}
