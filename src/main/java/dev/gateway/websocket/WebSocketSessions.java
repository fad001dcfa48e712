package dev.gateway.websocket;

import dev.gateway.background.Periodic;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.gateway.observe.EventLog;
import dev.gateway.proxy.UpstreamHandshake;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Every relayed WebSocket of one listener: opens the upstream side of an upgrade (the gateway's own RFC 6455 client
 * on a plain or TLS socket, so frames pass exactly as they came; nothing is shared with routes or snapshots, so a
 * reload never touches an established socket), and a sweeper that closes idle sockets (1001) and, after a bounded
 * drain window, those whose route a reload removed or changed (1001). {@link #close} ends them all with 1001 for
 * shutdown. Thread-safe.
 */
public final class WebSocketSessions implements AutoCloseable {
    private static final Duration SWEEP = Duration.ofMillis(100);

    /** What opening the upstream side gave. */
    public sealed interface Opened {
        /** The upstream answered 101: {@code subprotocol} is its choice (empty for none). */
        record Connected(WebSocketRelay relay, String subprotocol) implements Opened {
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
    private final LongSupplier nanoTime = System::nanoTime;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<WebSocketRelay> open = ConcurrentHashMap.newKeySet();
    private final Periodic sweeper;
    private volatile boolean closing;

    /**
     * {@code liveRoutes}: the keys of the WebSocket routes the current snapshot serves; a socket whose key is not
     * among them is closed after {@code drainWindow}.
     */
    public WebSocketSessions(Supplier<Set<Object>> liveRoutes, Duration drainWindow, EventLog events) {
        this.liveRoutes = liveRoutes;
        this.drainWindow = drainWindow;
        this.events = events;
        this.sweeper = new Periodic("websocket-sweeper", SWEEP, this::sweep);
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
     * upstream's frames are not read until the client side is accepted ({@link #accept}).
     */
    public Opened open(WebSocketStage stage, UpstreamHandshake handshake, List<String> subprotocols) {
        SecureRandom random;
        try {
            // masks and handshake keys must be unpredictable (RFC 6455 10.3); a DRBG per socket, so that sockets
            // do not queue on one generator (the platform default takes a JVM-wide lock per call)
            random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            random = new SecureRandom();
        }
        try {
            return switch (UpstreamUpgrade.perform(handshake.uri(), handshake.headers(), subprotocols,
                    stage.connectTimeout(), stage.handshakeTimeout(), random)) {
                case UpstreamUpgrade.Answer.Refused refused -> new Opened.Refused(refused.status());
                case UpstreamUpgrade.Answer.Switched switched -> new Opened.Connected(new WebSocketRelay(stage.route(),
                        stage.key(), stage.config().idleTimeout(), stage.config().maxFrameSize(), switched.wire(),
                        random, nanoTime, executor, events::warn), switched.subprotocol());
            };
        } catch (SocketTimeoutException e) {
            return new Opened.Failed(true, String.valueOf(e));
        } catch (IOException | RuntimeException e) {
            return new Opened.Failed(false, String.valueOf(e));
        }
    }

    /** The client-side connection for an upgrade whose 101 was just written; registers the socket. */
    public ServerConnection accept(Opened.Connected connected, ConnectionContext ctx, HttpPrologue prologue,
                                   Headers upgradeHeaders, String wsKey) {
        WebSocketRelay relay = connected.relay();
        ClientWire wire = new ClientWire(ctx);
        open.add(relay);
        relay.finished().whenComplete((v, e) -> open.remove(relay));
        relay.start(wire);
        if (closing) relay.gatewayClose(1001, "gateway shutting down");
        return new ClientConnection(relay, wire);
    }

    /** Drops an upstream side whose client upgrade did not happen after all. */
    public void discard(Opened.Connected connected) {
        connected.relay().discard();
    }

    private void sweep() {
        if (closing || open.isEmpty()) return;
        long now = nanoTime.getAsLong();
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

    /**
     * Shutdown: closes every socket with 1001 and waits up to {@code grace} for their close handshakes, then drops
     * those left. Returns how many were left.
     */
    public int close(Duration grace) {
        closing = true;
        sweeper.close();
        for (WebSocketRelay relay : open) relay.gatewayClose(1001, "gateway shutting down");
        long deadline = nanoTime.getAsLong() + grace.toNanos();
        while (!open.isEmpty() && nanoTime.getAsLong() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = open.size();
        for (WebSocketRelay relay : open) relay.abort();
        executor.shutdownNow();
        return left;
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
