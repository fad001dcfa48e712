package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
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
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every status the gateway makes itself (400, 404, 405, 413, 431, 501, 502, 504, 505), each as problem+json
 * carrying the request id and no stack trace; the per-route body limit; request framing that could smuggle a
 * request; and /health.
 */
class GatewayErrorsE2ETest {
    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        int echo = resources.echo("echo");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1, shutdown-grace: 2s, max-body-size: 1KiB, max-header-size: 2KiB }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%1$d" ] }
                  refused: { targets: [ "http://127.0.0.1:%2$d" ], connect-timeout: 2s }
                  slow: { targets: [ "http://127.0.0.1:%1$d" ], timeout: 300ms }
                routes:
                  - name: api
                    path: /api/**
                    upstream: echo
                    auth: public
                  - name: read-only
                    path: /ro/**
                    methods: [GET, HEAD]
                    upstream: echo
                    auth: public
                  - name: big
                    path: /big/**
                    upstream: echo
                    auth: public
                    max-body-size: 64KiB
                  - name: refused
                    path: /refused/**
                    upstream: refused
                    auth: public
                  - name: slow
                    path: /slow/**
                    upstream: slow
                    auth: public
                """.formatted(echo, closedPort));
        gateway = resources.add(InProcessGateway.start(config));
        http = resources.httpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        resources.close();
    }

    private static HttpResponse<String> send(String method, String pathAndQuery, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String chunkedPost(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
                + "\r\nConnection: close\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked";
    }

    @Test
    void noRouteIs404() throws Exception {
        Problems.assertProblem(send("GET", "/nowhere/at/all", null), 404);
        Problems.assertProblem(send("GET", "/", null), 404);
    }

    @Test
    void aProblemCarriesTheClientsRequestId() throws Exception {
        HttpResponse<String> r = send("GET", "/nowhere", null, "X-Request-Id", "client-id-42");
        assertThat(Problems.assertProblem(r, 404).get("request_id")).isEqualTo("client-id-42");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        for (String method : new String[] {"POST", "DELETE"}) {
            HttpResponse<String> r = send(method, "/ro/x", "{}".getBytes(StandardCharsets.UTF_8));
            Problems.assertProblem(r, 405);
            String allow = r.headers().firstValue("allow").orElseThrow();
            assertThat(allow.split(",\\s*")).contains("GET").doesNotContain("POST", "DELETE");
        }
        assertThat(send("GET", "/ro/x", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aPathClimbingAboveTheRootIs400() throws Exception {
        for (String path : new String[] {"/apps/../../admin", "/%2e%2e/x", "/api/%2E%2E/%2e%2e/etc/passwd", "/.."}) {
            Problems.assertProblem(RawHttp.get(gateway.port(), path), 400);
        }
    }

    @Test
    void aRefusedConnectionIs502() throws Exception {
        Problems.assertProblem(send("GET", "/refused/x", null), 502);
        Problems.assertProblem(send("POST", "/refused/x", "hello".getBytes(StandardCharsets.UTF_8)), 502);
    }

    @Test
    void noResponseWithinTheTimeoutIs504() throws Exception {
        Problems.assertProblem(send("GET", "/slow/x?delay=2000", null), 504);
        assertThat(send("GET", "/slow/x", null).statusCode()).as("a quick answer on the same upstream").isEqualTo(200);
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413() throws Exception {
        Problems.assertProblem(send("POST", "/api/upload", new byte[2048]), 413);
        HttpResponse<String> ok = send("POST", "/api/upload", new byte[1024]);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(TinyJson.object(ok.body()).get("body_bytes")).isEqualTo(1024L);
    }

    @Test
    void aChunkedBodyGrowingOverTheLimitIs413() throws Exception {
        RawHttp.Response r = RawHttp.send(gateway.port(), chunkedPost("/api/upload"), RawHttp.chunked(8 * 1024, 512));
        Problems.assertProblem(r, 413);

        RawHttp.Response ok = RawHttp.send(gateway.port(), chunkedPost("/api/upload"), RawHttp.chunked(1000, 100));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(TinyJson.object(ok.bodyText()).get("body_bytes")).isEqualTo(1000L);
    }

    @Test
    void aRouteMayAllowLargerBodies() throws Exception {
        HttpResponse<String> r = send("POST", "/big/upload", new byte[10 * 1024]);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TinyJson.object(r.body()).get("body_bytes")).isEqualTo(10240L);

        RawHttp.Response chunked = RawHttp.send(gateway.port(), chunkedPost("/big/upload"),
                RawHttp.chunked(40 * 1024, 4096));
        assertThat(chunked.status()).as(chunked.bodyText()).isEqualTo(200);
        assertThat(TinyJson.object(chunked.bodyText()).get("body_bytes")).isEqualTo(40960L);

        Problems.assertProblem(send("POST", "/big/upload", new byte[65 * 1024]), 413);
        Problems.assertProblem(RawHttp.send(gateway.port(), chunkedPost("/big/upload"),
                RawHttp.chunked(80 * 1024, 4096)), 413);
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        Problems.assertProblem(RawHttp.get(gateway.port(), "/api/x", "X-Big: " + "a".repeat(4096)), 431);
        String[] many = new String[64];
        for (int i = 0; i < many.length; i++) many[i] = "X-Many-" + i + ": " + "b".repeat(40);
        Problems.assertProblem(RawHttp.get(gateway.port(), "/api/x", many), 431);
        assertThat(RawHttp.get(gateway.port(), "/api/x", "X-Small: " + "a".repeat(1000)).status()).isEqualTo(200);
    }

    @Test
    void healthAnswersServing() throws Exception {
        HttpResponse<String> r = send("GET", "/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        assertThat(TinyJson.object(r.body())).isEqualTo(Map.of("status", "serving"));
    }

    @Test
    void aBodyHelidonCannotFrameIsRefusedAndItsConnectionClosedSoNothingIsSmuggled() throws Exception {
        String body = "5\r\nhello\r\n0\r\n\r\n";
        String smuggled = "GET /api/smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        Object[][] cases = {
            {"Transfer-Encoding: chunked\r\nContent-Length: 3", 400},
            {"Transfer-Encoding: chunked, gzip", 400},
            {"Transfer-Encoding: identity", 400},
            {"Transfer-Encoding: gzip, chunked", 501},
            {"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked", 501},
            {"Content-Length: 15\r\nContent-Length: 3", 400},
            {"Content-Length: +15", 400},
            {"Content-Length: -1", 400}};
        for (Object[] c : cases) {
            for (String path : new String[] {"/api/x", "/health"}) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                    socket.setSoTimeout(5_000);
                    String request = "POST " + path + " HTTP/1.1\r\nHost: a\r\n" + c[0] + "\r\n\r\n" + body + smuggled;
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = socket.getInputStream();
                    RawHttp.Response r = RawHttp.read(in, false);
                    Problems.assertProblem(r, (int) c[1]);
                    assertThat(r.header("connection")).as("%s", c[0]).isEqualToIgnoringCase("close");
                    assertThat(in.read()).as("nothing after the refusal of %s", c[0]).isEqualTo(-1);
                }
            }
        }
        assertThat(gateway.accessLines()).noneMatch(line -> line.contains("smuggled"));
        // a chunked body, in any letter case, is read as such and a request after it is served as the next one
        for (String coding : new String[] {"chunked", "Chunked"}) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                socket.setSoTimeout(5_000);
                String requests = "POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + coding + "\r\n\r\n"
                        + body
                        + "GET /api/next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                RawHttp.Response first = RawHttp.read(in, false);
                assertThat(first.status()).isEqualTo(200);
                assertThat(TinyJson.object(first.bodyText()).get("body_bytes")).isEqualTo(5L);
                RawHttp.Response next = RawHttp.read(in, false);
                assertThat(next.status()).isEqualTo(200);
                assertThat(TinyJson.object(next.bodyText()).get("path")).isEqualTo("/api/next");
            }
        }
    }

    @Test
    void anInvalidHostHeaderIs400SayingWhyAndItsConnectionIsClosed() throws Exception {
        Object[][] cases = {
            {"", "a request must have a Host header"},
            {"Host: a\r\nHost: b\r\n", "a request must have one Host header (got 2)"},
            {"Host: \r\n", "the Host header must not be empty"},
            {"Host: a b\r\n", "(got 'a b')"},
            {"Host: user@a\r\n", "(got 'user@a')"},
            {"Host: a/b\r\n", "(got 'a/b')"},
            {"Host: ex%zzample\r\n", "(got 'ex%zzample')"},
            {"Host: :80\r\n", "(got ':80')"},
            {"Host: a:-1\r\n", "(got 'a:-1')"},
            {"Host: a:+80\r\n", "(got 'a:+80')"},
            {"Host: a:123456\r\n", "(got 'a:123456')"},
            {"Host: a:65536\r\n", "(got 'a:65536')"},
            {"Host: [::1\r\n", "(got '[::1')"},
            {"Host: [zz]\r\n", "(got '[zz]')"},
            // a port that is no number at all Helidon refuses itself, before the gateway sees the request
            {"Host: [::1]x\r\n", "the request could not be parsed"},
            {"Host: a:x\r\n", "the request could not be parsed"}};
        for (Object[] c : cases) {
            for (String path : new String[] {"/api/x", "/health"}) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n" + c[0] + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = socket.getInputStream();
                    RawHttp.Response r = RawHttp.read(in, false);
                    Map<String, Object> problem = Problems.assertProblem(r, 400);
                    assertThat((String) problem.get("detail")).as("%s", c[0]).contains((String) c[1]);
                    assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                    assertThat(in.read()).isEqualTo(-1);
                }
            }
        }
        for (String host : new String[] {"a", "127.0.0.1:8080", "[::1]", "[::1]:8080", "ex%41mple.com",
            "xn--caf-dma.example:443", "a_b-c~d.e!$&'()*+,;="}) {
            RawHttp.Response r = RawHttp.send(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: " + host, null);
            assertThat(r.status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void anHttp10RequestAfterAnHttp11OneOnTheSameConnectionGets505AndTheConnectionIsClosed() throws Exception {
        // a connection that starts with HTTP/1.0 is served (Http10E2ETest); one that starts as HTTP/1.1 stays so
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET /api/x HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /api/y HTTP/1.0\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(RawHttp.read(in, false).status()).isEqualTo(200);
            Problems.assertProblem(RawHttp.read(in, false), 505);
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
