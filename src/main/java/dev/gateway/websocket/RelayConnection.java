package dev.gateway.websocket;

import java.time.Duration;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConnection;

/**
 * Helidon's WebSocket connection with an end hook: whether the client closed properly or its TCP connection just
 * went, the relay hears of it and ends the upstream side. Reports itself never idle to the listener's idle sweep:
 * idle sockets are closed by the route's own idle-timeout, which counts both directions.
 */
final class RelayConnection implements ServerConnection {
    private final WsConnection delegate;
    private final WebSocketRelay relay;

    RelayConnection(WsConnection delegate, WebSocketRelay relay) {
        this.delegate = delegate;
        this.relay = relay;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            delegate.handle(limit);
        } finally {
            relay.clientGone();
        }
    }

    @SuppressWarnings("removal")
    @Override
    public void handle(java.util.concurrent.Semaphore requestSemaphore) throws InterruptedException {
        try {
            delegate.handle(requestSemaphore);
        } finally {
            relay.clientGone();
        }
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        delegate.close(interrupt);
    }
}
