package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.0 clients are served as nginx serves them: an HTTP/1.1-versioned answer, the connection closed after it,
 * a request body by Content-Length, no Host header needed; {@code /health} too; and ApacheBench (which speaks
 * HTTP/1.0) completes 10,000 requests at 50 connections without a failure.
 */
class Http10E2ETest {
    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        int echo = resources.echo("echo");
        Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                listen: { host: 127.0.0.1, shutdown-grace: 1s }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: api, path: /api/**, upstream: echo, auth: public }
                """.formatted(echo));
        gateway = resources.add(InProcessGateway.start(config));
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    /** Sends {@code request} on a new connection; returns the one answer it gets before the connection closes. */
    private static RawHttp.Response http10(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            // everything up to the end of the stream: the connection is closed after the answer
            byte[] all = socket.getInputStream().readAllBytes();
            assertThat(new String(all, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 ");
            InputStream in = new ByteArrayInputStream(all);
            RawHttp.Response r = RawHttp.read(in, false);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(in.read()).as("nothing after the answer").isEqualTo(-1);
            return r;
        }
    }

    private static Map<String, Object> echoed(RawHttp.Response r) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return TinyJson.object(r.bodyText());
    }

    @Test
    void aGetIsServedWithAnHttp11AnswerAndTheConnectionClosed() throws Exception {
        RawHttp.Response r = http10("GET /api/ten?x=1 HTTP/1.0\r\nHost: a.example\r\n\r\n");
        Map<String, Object> e = echoed(r);
        assertThat(e.get("path")).isEqualTo("/api/ten");
        assertThat(gateway.accessLine(r.header("x-request-id")).get("protocol")).isEqualTo("HTTP/1.0");
        assertThat(((Map<?, ?>) e.get("headers")).get("x-forwarded-host")).isEqualTo("a.example");
    }

    @Test
    void noHostHeaderIsNeeded() throws Exception {
        Map<String, Object> e = echoed(http10("GET /api/no-host HTTP/1.0\r\nUser-Agent: probe\r\n\r\n"));
        assertThat(e.get("path")).isEqualTo("/api/no-host");
    }

    @Test
    void aBodyIsReadByContentLength() throws Exception {
        Map<String, Object> e = echoed(http10("POST /api/post HTTP/1.0\r\nContent-Length: 11\r\n\r\nhello world"));
        assertThat(e.get("body_bytes")).isEqualTo(11L);
        assertThat(e.get("method")).isEqualTo("POST");
    }

    @Test
    void keepAliveIsAnsweredAndTheConnectionStillClosed() throws Exception {
        echoed(http10("GET /api/ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    }

    @Test
    void healthAndRefusalsAnswerToo() throws Exception {
        RawHttp.Response health = http10("GET /health HTTP/1.0\r\n\r\n");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.bodyText()).contains("serving");
        Problems.assertProblem(http10("GET /nope HTTP/1.0\r\n\r\n"), 404);
    }

    @Test
    void apacheBenchCompletesTenThousandRequestsWithoutAFailure() throws Exception {
        String ab = Tools.require("ab", "apache2-utils");
        String out = Tools.run(List.of(ab, "-q", "-n", "10000", "-c", "50", "-s", "10",
                "http://127.0.0.1:" + gateway.port() + "/api/ab"), 120);
        assertThat(out).contains("Complete requests:      10000").contains("Failed requests:        0")
                .doesNotContain("Non-2xx responses");
    }
}
