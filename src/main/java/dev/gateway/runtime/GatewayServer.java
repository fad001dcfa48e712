package dev.gateway.runtime;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.sun.management.UnixOperatingSystemMXBean;

import dev.gateway.config.ListenConfig;
import dev.gateway.observe.AccessLog;
import dev.gateway.observe.EventLog;
import dev.gateway.observe.Exposition;
import dev.gateway.observe.Metrics;
import dev.gateway.websocket.WebSocketSessions;
import dev.gateway.tls.ServerIdentity;
import dev.gateway.tls.ServerTls;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.Http1ConnectionSelectorConfig;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.http2.Http2Upgrader;

/**
 * The client-facing listener: one Helidon server (HTTP/1.1, and HTTP/2 unless turned off; HTTPS when it has TLS)
 * whose only route is the {@link GatewayHandler}, and whose WebSocket upgrades go through the
 * {@link GatewayUpgrader}. Knows how to
 * start, and how to drain (health turns 503, new requests are refused, WebSockets are closed with 1001, in-flight
 * requests finish up to the grace period) and stop.
 */
public final class GatewayServer {
    private final SnapshotHolder holder;
    private final EventLog events;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final GatewayHandler handler;
    private final Readiness readiness;
    private final WebSocketSessions webSockets;
    private final WebServer server;
    private final ServerTls tls;
    /** The plain-HTTP listener answering 308 to this one ({@code listen.redirect-http}), or null. */
    private final RedirectServer redirect;
    private final String host;
    private final int requestedPort;

    /** {@code tls}: the listener's TLS when it serves HTTPS, else null. */
    public GatewayServer(ListenConfig listen, ServerTls tls, SnapshotHolder holder, AccessLog accessLog,
                         EventLog events, Metrics metrics) {
        this.holder = holder;
        this.tls = tls;
        this.events = events;
        this.host = listen.host();
        this.requestedPort = listen.port();
        this.readiness = new Readiness(holder, draining::get);
        this.handler = new GatewayHandler(holder, accessLog, events, draining::get, metrics, readiness);
        ProblemDirectHandler problems = new ProblemDirectHandler();
        this.webSockets = new WebSocketSessions(() -> holder.current().webSocketRoutes(), listen.shutdownGrace(), events);
        Http1Config http1 = Http1Config.builder()
                .maxHeadersSize((int) Math.min(Integer.MAX_VALUE, listen.maxHeaderSize()))
                .maxPrologueLength(8192)
                .validateRequestHeaders(true)
                // GatewayHandler checks the Host header itself (HostHeader): the same rules, a clearer answer, and
                // without Helidon's regular expression on every request
                .validateRequestHostHeader(false)
                .build();
        Http1ConnectionSelectorConfig.Builder http1Selector = Http1ConnectionSelector.builder().config(http1)
                // the routes can change on every reload, so one upgrader decides each upgrade against the current
                // snapshot; after the 101 the relay reads and writes frames on the connection itself
                .addUpgrader(new GatewayUpgrader(holder, accessLog, draining::get, webSockets, metrics));
        WebServerConfig.Builder builder = WebServer.builder();
        if (listen.http2()) {
            Http2Config http2 = Http2Config.builder()
                    .maxHeaderListSize(listen.maxHeaderSize())
                    .sendErrorDetails(false)
                    .build();
            builder.addProtocol(http2)
                    // h2 chosen by ALPN on HTTPS, or by the connection preface (prior knowledge) on plain HTTP
                    .addConnectionSelector(Http2ConnectionSelector.builder().http2Config(http2).build());
            if (tls == null) http1Selector.addUpgrader(Http2Upgrader.create(http2)); // Upgrade: h2c
        }
        if (tls != null) {
            builder.tls(Tls.builder()
                    .sslContext(tls.context())
                    .enabledProtocols(tls.config().protocols())
                    .clientAuth(tls.config().clientAuth().map(c -> c.required() ? TlsClientAuth.REQUIRED
                            : TlsClientAuth.OPTIONAL).orElse(TlsClientAuth.NONE))
                    .build());
        }
        Http1ConnectionSelector http1Connections = http1Selector.build();
        this.redirect = listen.redirectHttpPort().map(p -> new RedirectServer(listen.host(), p, this::port,
                draining::get)).orElse(null);
        this.server = builder
                .host(listen.host())
                .port(listen.port())
                .shutdownHook(false)
                .maxPayloadSize(-1)
                // no Nagle: a response written in pieces (a head, then chunks as the upstream sends them) is not
                // held back until the client acknowledges the previous piece
                .connectionOptions(o -> o.tcpNoDelay(true))
                .shutdownGracePeriod(Duration.ofMillis(500))
                // a connection with no traffic for idle-timeout is closed, looked for every tenth of it
                .idleConnectionTimeout(listen.idleTimeout())
                .idleConnectionPeriod(listen.idleTimeout().dividedBy(10).compareTo(Duration.ofMillis(100)) < 0
                        ? Duration.ofMillis(100) : listen.idleTimeout().dividedBy(10))
                // beyond it the listener stops accepting: new connections wait in the kernel's backlog
                .maxTcpConnections(maxConnections(listen))
                .addProtocol(http1)
                .addConnectionSelector(http1Connections)
                .addConnectionSelector(new Http10Connections(http1Connections, 8192 + http1.maxHeadersSize()))
                .contentEncoding(c -> c.contentEncodingsDiscoverServices(false))
                .errorHandling(e -> e.includeEntity(true))
                .directHandlers(d -> {
                    for (EventType type : EventType.values()) d.addHandler(type, problems);
                })
                .routing(r -> r.any(handler))
                .build();
    }

    /**
     * {@code listen.max-connections}, or when it is not set, what the file-descriptor limit leaves room for: each
     * client connection may hold an upstream connection too, and some descriptors go to files and the admin listener.
     */
    static int maxConnections(ListenConfig listen) {
        if (listen.maxConnections() > 0) return listen.maxConnections();
        long fds = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 65536;
        return (int) Math.max(64, Math.min(Integer.MAX_VALUE, (fds - 256) / 2));
    }

    /** Binds and starts serving; returns the bound port. Throws when the address cannot be bound. */
    public int start() {
        webSockets.start();
        server.start();
        int port = server.port();
        if (port < 0) {
            // Helidon logs the cause and returns instead of throwing
            server.stop();
            webSockets.close();
            throw new IllegalStateException("cannot listen on " + host + ":" + requestedPort
                    + " (address in use, or not an address of this machine?)");
        }
        if (redirect != null) {
            try {
                int redirectPort = redirect.start();
                events.info("redirecting http://" + host + ":" + redirectPort + " to https (308)");
            } catch (RuntimeException e) {
                server.stop();
                webSockets.close();
                throw e;
            }
        }
        return port;
    }

    public int port() {
        return server.port();
    }

    /** The certificate pairs serving now, in the config's order (the first is the default); empty on plain HTTP. */
    public List<ServerIdentity> certificates() {
        return tls == null ? List.of() : tls.identities();
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Whether shutdown has begun. */
    public boolean draining() {
        return draining.get();
    }

    /** Requests being handled now. */
    public long inFlight() {
        return handler.inFlight();
    }

    /** WebSockets relayed now. */
    public int openWebSockets() {
        return webSockets.size();
    }

    /** The gauges that describe this server and its current snapshot, for {@link Metrics#addCollector}. */
    public Consumer<Exposition> gauges() {
        return new RuntimeGauges(holder, this);
    }

    /**
     * Drains: health answers 503 and new requests get 503 at once, in-flight requests get up to {@code grace}
     * to finish; then the listener stops and every snapshot resource is closed.
     */
    public void shutdown(Duration grace) {
        draining.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        int sockets = webSockets.close(grace);
        if (sockets > 0) events.warn("shutdown grace of " + grace.toMillis() + "ms ended with " + sockets
                + " WebSockets still closing");
        while (handler.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long left = handler.inFlight();
        if (left > 0) events.warn("shutdown grace of " + grace.toMillis() + "ms ended with " + left + " requests in flight");
        server.stop();
        if (redirect != null) redirect.stop();
        holder.close(Duration.ZERO);
    }
}
