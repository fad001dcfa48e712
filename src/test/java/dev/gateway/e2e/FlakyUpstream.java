package dev.gateway.e2e;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * A real upstream on 127.0.0.1 whose behaviour a test changes while it runs: the status it answers, how long it
 * waits first, whether its {@code /health} passes; it counts the requests it got (health checks apart) and can be
 * stopped and started again on the same port. It reads every request body to the end before answering.
 */
final class FlakyUpstream implements AutoCloseable {
    final AtomicInteger hits = new AtomicInteger();
    final AtomicInteger bodyBytes = new AtomicInteger();
    volatile int status = 200;
    volatile long delayMillis;
    volatile boolean healthy = true;
    private final String name;
    private WebServer server;
    private int port;

    FlakyUpstream(String name) {
        this.name = name;
        start(0);
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops listening: connections in use are closed, new ones are refused. */
    void stop() {
        server.stop();
    }

    /** Listens again on the same port. */
    void restart() {
        start(port);
    }

    private void start(int onPort) {
        server = WebServer.builder().host("127.0.0.1").port(onPort).shutdownHook(false)
                .routing(r -> r.any((req, res) -> {
                    if (req.prologue().uriPath().path().equals("/health")) {
                        res.status(healthy ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503).send(name);
                        return;
                    }
                    hits.incrementAndGet();
                    if (req.content().hasEntity()) {
                        try (InputStream in = req.content().inputStream()) {
                            bodyBytes.addAndGet((int) in.transferTo(java.io.OutputStream.nullOutputStream()));
                        }
                    }
                    if (delayMillis > 0) Thread.sleep(delayMillis);
                    res.status(Status.create(status)).send(name);
                })).build();
        server.start();
        port = server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
