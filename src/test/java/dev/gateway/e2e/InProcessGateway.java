package dev.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.gateway.cli.Gateway;

/** A gateway started in the test JVM on a free port, with its access log and event log captured in memory. */
final class InProcessGateway implements AutoCloseable {
    private final Gateway gateway;
    private final ByteArrayOutputStream access;
    private final ByteArrayOutputStream events;

    private InProcessGateway(Gateway gateway, ByteArrayOutputStream access, ByteArrayOutputStream events) {
        this.gateway = gateway;
        this.access = access;
        this.events = events;
    }

    static InProcessGateway start(Path config) throws Exception {
        ByteArrayOutputStream access = new ByteArrayOutputStream();
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        Gateway g = Gateway.start(config, Map.of(), 0, new PrintStream(access, true, StandardCharsets.UTF_8),
                new PrintStream(events, true, StandardCharsets.UTF_8));
        return new InProcessGateway(g, access, events);
    }

    int port() {
        return gateway.port();
    }

    /** A URI on the admin listener (the file must have an {@code admin} section). */
    URI adminUri(String path) {
        if (gateway.adminPort() < 0) throw new IllegalStateException("the config has no admin section");
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    List<String> accessLines() {
        synchronized (access) {
            return access.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The access-log line of request {@code requestId}, waiting for it: a line is written once the response is done. */
    Map<String, Object> accessLine(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : accessLines()) {
                Map<String, Object> json = TinyJson.object(line);
                if (requestId.equals(json.get("request_id"))) return json;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no access-log line for " + requestId);
    }

    /** The access-log line of the request that got {@code response}. */
    Map<String, Object> accessLine(java.net.http.HttpResponse<?> response) throws InterruptedException {
        return accessLine(response.headers().firstValue("x-request-id").orElseThrow());
    }

    String events() {
        synchronized (events) {
            return events.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
