package dev.gateway.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.gateway.pipeline.Json;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A demo and test backend: answers every request with the request it received as JSON (method, path, query,
 * headers, body size; the body is counted while streaming, never held). Query parameters steer it:
 * {@code status=503} answers that status, {@code delay=250} waits that many milliseconds first,
 * {@code bytes=N} answers N bytes of body instead of the JSON.
 */
public final class EchoServer implements AutoCloseable {
    private final String name;
    private final WebServer server;

    public EchoServer(String host, int port, String name) {
        this.name = name;
        this.server = WebServer.builder().host(host).port(port).shutdownHook(false).maxPayloadSize(-1)
                .contentEncoding(c -> c.contentEncodingsDiscoverServices(false))
                .routing(r -> r.any(this::handle)).build();
    }

    public int start() {
        server.start();
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void handle(ServerRequest req, ServerResponse res) throws IOException, InterruptedException {
        long bodyBytes = 0;
        if (req.content().hasEntity()) {
            try (InputStream in = req.content().inputStream()) {
                byte[] buf = new byte[16384];
                for (int n; (n = in.read(buf)) > 0; ) bodyBytes += n;
            }
        }
        var query = req.query();
        if (query.contains("delay")) Thread.sleep(Long.parseLong(query.get("delay")));
        if (query.contains("status")) res.status(Status.create(Integer.parseInt(query.get("status"))));
        res.header(HeaderNames.create("X-Echo-Server"), name);
        // Helidon sends whatever the handler sends, so a HEAD answer must leave its body out here
        boolean head = req.prologue().method().text().equals("HEAD");
        if (query.contains("bytes")) {
            sendBytes(res, Long.parseLong(query.get("bytes")), head);
            return;
        }
        StringBuilder b = new StringBuilder(512);
        b.append("{\"server\":");
        Json.string(b, name);
        b.append(",\"method\":");
        Json.string(b, req.prologue().method().text());
        b.append(",\"path\":");
        Json.string(b, req.prologue().uriPath().rawPath());
        b.append(",\"query\":");
        Json.string(b, req.query().rawValue());
        b.append(",\"headers\":{");
        boolean first = true;
        for (Header h : req.headers()) {
            if (!first) b.append(',');
            first = false;
            Json.string(b, h.headerName().lowerCase());
            b.append(':');
            Json.string(b, String.join(", ", h.allValues()));
        }
        b.append("},\"body_bytes\":").append(bodyBytes).append('}');
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        if (head) {
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }

    private static void sendBytes(ServerResponse res, long count, boolean head) {
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(count));
        res.header(HeaderValues.CONTENT_TYPE_OCTET_STREAM);
        if (head) {
            res.send();
            return;
        }
        byte[] chunk = new byte[65536];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = res.outputStream()) {
            for (long left = count; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
