package dev.gateway.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Problem;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code listen.redirect-http}: a plain-HTTP listener beside an HTTPS one that answers every request with 308 to
 * the same host, path and query on https (the method and body are kept, unlike 301); {@code /health} is answered
 * here, so probes and the image's HEALTHCHECK can stay on plain HTTP.
 */
final class RedirectServer {
    private final WebServer server;
    private final IntSupplier httpsPort;
    private final BooleanSupplier draining;

    /** {@code httpsPort}: the HTTPS listener's bound port, read per request (it may be chosen at start). */
    RedirectServer(String host, int port, IntSupplier httpsPort, BooleanSupplier draining) {
        this.httpsPort = httpsPort;
        this.draining = draining;
        this.server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .contentEncoding(c -> c.contentEncodingsDiscoverServices(false))
                // the Host header is checked by HostHeader, as on the main listener, and refusals are problem+json
                .addProtocol(Http1Config.builder().validateRequestHostHeader(false).build())
                .directHandlers(d -> {
                    for (EventType type : EventType.values()) d.addHandler(type, new ProblemDirectHandler());
                })
                .routing(r -> r.any(this::handle))
                .build();
    }

    /** Binds and starts; returns the bound port. Throws when the address cannot be bound. */
    int start() {
        server.start();
        if (server.port() < 0) {
            server.stop();
            throw new IllegalStateException("cannot listen for redirect-http on " + server.prototype().host() + ":"
                    + server.prototype().port() + " (address in use, or not an address of this machine?)");
        }
        return server.port();
    }

    void stop() {
        server.stop();
    }

    private void handle(ServerRequest req, ServerResponse res) {
        String method = req.prologue().method().text();
        String target = req.prologue().uriPath().rawPath();
        if (method.equals("GET") || method.equals("HEAD")) {
            if (target.equals("/health")) {
                GatewayHandler.health(res, draining.getAsBoolean(), method.equals("HEAD"));
                return;
            }
        }
        Exchange ex = GatewayHandler.exchange(req.remotePeer().address(), req.headers(), method, target);
        String problem = HostHeader.problem(req.headers());
        if (problem != null) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            Problem.send(res, ex, 400, problem);
            return;
        }
        String query = req.query().rawValue();
        res.status(Status.PERMANENT_REDIRECT_308);
        res.header(HeaderNames.LOCATION, location(req.headers().get(HeaderNames.HOST).get(), httpsPort.getAsInt(),
                target + (query.isEmpty() ? "" : "?" + query)));
        res.header(Problem.X_REQUEST_ID, ex.requestId());
        res.send();
    }

    /** https://HOST[:PORT]TARGET, for a Host header already checked: its port replaced, 443 left out. */
    static String location(String hostHeader, int httpsPort, String target) {
        String host = hostHeader;
        int close = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        if (colon > close) host = host.substring(0, colon);
        return "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + target;
    }
}
