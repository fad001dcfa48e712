package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream that promises a Content-Length and closes before sending it all: the client must see a broken
 * connection, never a complete-looking response with a short body, whether the body is small (sent in one write)
 * or large (streamed).
 */
class UpstreamTruncationE2ETest {
    @TempDir
    Path dir;
    private ResourceStack resources;
    private ServerSocket upstream;
    private InProcessGateway gateway;

    @BeforeEach
    void start() throws Exception {
        resources = new ResourceStack();
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(upstream);
        Thread.ofVirtual().start(this::serve);
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1 }
                upstreams: { liar: { targets: [ "http://127.0.0.1:%d" ] } }
                routes: [ { name: liar, path: /**, upstream: liar, auth: public } ]
                """.formatted(upstream.getLocalPort()));
        gateway = resources.add(InProcessGateway.start(config));
    }

    @AfterEach
    void stop() {
        resources.close();
    }

    /** Answers /N with a Content-Length of N bytes and sends only a tenth of them before closing. */
    private void serve() {
        while (!upstream.isClosed()) {
            try (Socket s = upstream.accept()) {
                InputStream in = s.getInputStream();
                String head = RawHttp.readUntil(in, "\r\n\r\n");
                int promised = Integer.parseInt(head.split(" ")[1].substring(1));
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + promised + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[promised / 10]);
                out.flush();
            } catch (IOException | RuntimeException e) {
                // the next connection
            }
        }
    }

    @Test
    void aShortBodyBreaksTheClientConnectionForSmallAndLargeBodies() throws Exception {
        HttpClient http = resources.httpClient();
        for (int promised : new int[] {1000, 1_000_000}) {
            HttpRequest request = HttpRequest.newBuilder(gateway.uri("/" + promised)).timeout(Duration.ofSeconds(20)).build();
            assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                    .as("promised %d bytes", promised).isInstanceOf(IOException.class);
        }
        assertThat(gateway.events()).doesNotContain("Exception");
    }
}
