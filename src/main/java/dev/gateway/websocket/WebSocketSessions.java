package dev.gateway.websocket;

import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.gateway.observe.EventLog;
import dev.gateway.proxy.UpstreamHandshake;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConnection;

/**
 * Every relayed WebSocket of one listener: opens the upstream side of an upgrade (JDK WebSocket client, one per
 * listener, shared by all routes and snapshots so a reload never touches an established socket), and a sweeper that
 * closes idle sockets (1001) and, after a bounded drain window, those whose route a reload removed or changed
 * (1001). {@link #close} ends them all with 1001 for shutdown. Thread-safe.
 */
public final class WebSocketSessions implements AutoCloseable {
    private static final Duration SWEEP = Duration.ofMillis(100);

    /** What opening the upstream side gave. */
    public sealed interface Opened {
        /** The upstream answered 101: {@code subprotocol} is its choice (empty for none). */
        record Connected(WebSocketRelay relay, WebSocket upstream, String subprotocol) implements Opened {
        }

        /** The upstream answered the upgrade with another status, passed back to the client. */
        record Refused(int status) implements Opened {
        }

        /** No answer: {@code timeout} tells 504 from 502. */
        record Failed(boolean timeout, String detail) implements Opened {
        }
    }

    private final Supplier<Set<Object>> liveRoutes;
    private final Duration drainWindow;
    private final EventLog events;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final Set<WebSocketRelay> open = ConcurrentHashMap.newKeySet();
    private final Thread sweeper;
    private volatile boolean closing;

    /**
     * {@code liveRoutes}: the keys of the WebSocket routes the current snapshot serves; a socket whose key is not
     * among them is closed after {@code drainWindow}.
     */
    public WebSocketSessions(Supplier<Set<Object>> liveRoutes, Duration drainWindow, EventLog events) {
        this.liveRoutes = liveRoutes;
        this.drainWindow = drainWindow;
        this.events = events;
        this.client = HttpClient.newBuilder().executor(executor).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.sweeper = Thread.ofVirtual().name("websocket-sweeper").unstarted(this::sweep);
    }

    public void start() {
        sweeper.start();
    }

    /** Sockets open now. */
    public int size() {
        return open.size();
    }

    /**
     * Opens the upstream side for {@code stage}'s route, waiting up to its connect and handshake timeouts. The
     * upstream delivers nothing until the client side is accepted ({@link #accept}).
     */
    public Opened open(WebSocketStage stage, UpstreamHandshake handshake, List<String> subprotocols) {
        WebSocketRelay relay = new WebSocketRelay(stage.route(), stage.key(), stage.config().idleTimeout(),
                stage.config().maxFrameSize(), executor, events::warn);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(stage.connectTimeout());
        for (Map.Entry<String, String> h : handshake.headers()) {
            try {
                builder.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // a header the JDK client sets itself or refuses (Host, Connection, ...): it is not forwarded
            }
        }
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.getFirst(), subprotocols.subList(1, subprotocols.size())
                    .toArray(String[]::new));
        }
        var future = builder.buildAsync(handshake.uri(), relay);
        try {
            WebSocket ws = future.get(stage.connectTimeout().plus(stage.handshakeTimeout()).toMillis(),
                    TimeUnit.MILLISECONDS);
            relay.upstream(ws);
            return new Opened.Connected(relay, ws, ws.getSubprotocol());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException refused) {
                return new Opened.Refused(refused.getResponse().statusCode());
            }
            return new Opened.Failed(cause instanceof HttpTimeoutException, String.valueOf(cause));
        } catch (TimeoutException e) {
            future.cancel(true);
            future.thenAccept(WebSocket::abort);
            return new Opened.Failed(true, "no upgrade answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(WebSocket::abort);
            return new Opened.Failed(false, "interrupted");
        } catch (IllegalArgumentException e) {
            return new Opened.Failed(false, e.getMessage());
        }
    }

    /** The client-side connection for an upgrade whose 101 was just written; registers the socket. */
    public ServerConnection accept(Opened.Connected connected, ConnectionContext ctx, HttpPrologue prologue,
                                   Headers upgradeHeaders, String wsKey) {
        WebSocketRelay relay = connected.relay();
        WsConnection ws = WsConnection.create(ctx, prologue, upgradeHeaders, wsKey, relay);
        relay.cutClient(() -> ws.close(true));
        open.add(relay);
        relay.finished().whenComplete((v, e) -> open.remove(relay));
        if (closing) relay.gatewayClose(1001, "gateway shutting down");
        return new RelayConnection(ws, relay);
    }

    /** Aborts an upstream side whose client upgrade did not happen after all. */
    public void discard(Opened.Connected connected) {
        connected.upstream().abort();
    }

    private void sweep() {
        while (!closing) {
            try {
                Thread.sleep(SWEEP);
            } catch (InterruptedException e) {
                return;
            }
            if (open.isEmpty()) continue;
            long now = System.nanoTime();
            Set<Object> live = liveRoutes.get();
            for (WebSocketRelay relay : open) {
                if (relay.idle(now)) {
                    relay.gatewayClose(1001, "idle timeout");
                } else if (!live.contains(relay.routeKey())) {
                    if (relay.drainDeadline() == 0) {
                        relay.drainDeadline(now + drainWindow.toNanos());
                    } else if (now - relay.drainDeadline() > 0) {
                        relay.gatewayClose(1001, "route changed");
                    }
                } else if (relay.drainDeadline() != 0) {
                    relay.drainDeadline(0);
                }
            }
        }
    }

    /**
     * Shutdown: closes every socket with 1001 and waits up to {@code grace} for their close handshakes, then stops
     * the client. Returns the sockets still open.
     */
    public int close(Duration grace) {
        closing = true;
        sweeper.interrupt();
        for (WebSocketRelay relay : open) relay.gatewayClose(1001, "gateway shutting down");
        long deadline = System.nanoTime() + grace.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = open.size();
        client.shutdownNow();
        executor.shutdownNow();
        return left;
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
