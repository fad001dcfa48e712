package dev.gateway.e2e;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.gateway.echo.EchoServer;
import io.helidon.webserver.WebServer;

/** What a test class started, closed in reverse order at the end even when starting failed halfway. */
final class ResourceStack implements AutoCloseable {
    static {
        // Helidon logs every start and stop at INFO through JUL; the CLI turns that down the same way
        Logger.getLogger("").setLevel(Level.WARNING);
    }

    private final Deque<AutoCloseable> stack = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
        stack.push(resource);
        return resource;
    }

    /** Starts an echo backend on a free loopback port; returns the port. */
    int echo(String name) {
        EchoServer echo = add(new EchoServer("127.0.0.1", 0, name));
        return echo.start();
    }

    /** Starts a Helidon server built by the caller; returns its port. */
    int server(WebServer server) {
        add(server::stop);
        server.start();
        return server.port();
    }

    /** An HTTP/1.1 client (no h2c upgrade attempt) that is closed with the stack. */
    HttpClient httpClient() {
        return add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** Closes everything, even past failures; the first failure is thrown with the others suppressed. */
    @Override
    public void close() {
        IllegalStateException failed = null;
        while (!stack.isEmpty()) {
            try {
                stack.pop().close();
            } catch (Exception e) {
                if (failed == null) failed = new IllegalStateException("closing a test resource failed", e);
                else failed.addSuppressed(e);
            }
        }
        if (failed != null) throw failed;
    }
}
