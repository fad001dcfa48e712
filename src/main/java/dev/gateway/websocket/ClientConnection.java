package dev.gateway.websocket;

import java.time.Duration;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.spi.ServerConnection;

/**
 * The client side of a relayed socket as Helidon runs it after the upgrade: its connection thread reads the client's
 * frames for the relay, and when that ends Helidon closes the connection. The listener's request limit is not taken:
 * it bounds requests in progress, and a socket may stay open for hours. Reports itself never idle to the listener's
 * idle sweep: idle sockets are closed by the route's own idle-timeout, which counts both directions.
 */
final class ClientConnection implements ServerConnection {
    private final WebSocketRelay relay;
    private final ClientWire wire;

    ClientConnection(WebSocketRelay relay, ClientWire wire) {
        this.relay = relay;
        this.wire = wire;
    }

    @Override
    public void handle(Limit limit) {
        run();
    }

    @SuppressWarnings("removal")
    @Override
    public void handle(java.util.concurrent.Semaphore requestSemaphore) {
        run();
    }

    private void run() {
        wire.readerThread(Thread.currentThread());
        relay.runClient();
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    /** The listener is stopping. */
    @Override
    public void close(boolean interrupt) {
        wire.cut();
    }
}
