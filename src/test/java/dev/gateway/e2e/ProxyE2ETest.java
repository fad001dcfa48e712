package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxying through an in-process gateway to real backends: path rewriting, query, method and body, the
 * X-Forwarded-* and X-Request-Id headers, hop-by-hop headers in both directions, weighted round robin.
 */
class ProxyE2ETest {
    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway gateway;
    private static HttpClient http;
    private static int echoPort;
    private static int specialPort;

    @BeforeAll
    static void start() throws Exception {
        echoPort = resources.echo("echo");
        int a = resources.echo("rr-a");
        int b = resources.echo("rr-b");
        specialPort = resources.server(WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.any(ProxyE2ETest::special)).build());
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1, shutdown-grace: 2s }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ], timeout: 5s }
                  weighted:
                    targets: [ "http://127.0.0.1:%d", { url: "http://127.0.0.1:%d", weight: 2 } ]
                    balance: round-robin
                  special: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - name: strip
                    path: /api/**
                    upstream: echo
                    auth: public
                    strip-prefix: /api
                  - name: tenant
                    path: /t/{tenant}/**
                    upstream: echo
                    auth: public
                    strip-prefix: /t/{tenant}
                  - name: rewrite
                    path: /svc/{name}/items/**
                    upstream: echo
                    auth: public
                    rewrite: /v2/{name}/things/{**}
                  - name: balanced
                    path: /rr/**
                    upstream: weighted
                    auth: public
                  - name: special
                    path: /special/**
                    upstream: special
                    auth: public
                """.formatted(echoPort, a, b, specialPort));
        gateway = resources.add(InProcessGateway.start(config));
        http = resources.httpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        resources.close();
    }

    /** A backend that reports the body's SHA-256 and answers with hop-by-hop headers that must not reach clients. */
    private static void special(io.helidon.webserver.http.ServerRequest req,
                                io.helidon.webserver.http.ServerResponse res) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long n = 0;
        if (req.content().hasEntity()) {
            try (InputStream in = req.content().inputStream()) {
                byte[] buf = new byte[8192];
                for (int r; (r = in.read(buf)) > 0; n += r) sha.update(buf, 0, r);
            }
        }
        res.header("X-Body-Sha256", HexFormat.of().formatHex(sha.digest()));
        res.header("X-Body-Bytes", Long.toString(n));
        res.header("X-Method", req.prologue().method().text());
        res.header("Connection", "X-Foo");
        res.header("X-Foo", "1");
        res.header("Keep-Alive", "timeout=5");
        res.header("Proxy-Authenticate", "Basic realm=\"up\"");
        res.header("Upgrade", "foo/1");
        res.header("X-End", "ok");
        res.header("Set-Cookie", "a=1; Path=/", "b=2; Path=/"); // two lines on the wire
        res.header("X-Repeated", "one", "two", "three");
        res.send("special");
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The echo's description of the request it received, after checking the gateway answered 200. */
    private static Map<String, Object> echoed(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TinyJson.object(r.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headersOf(Map<String, Object> echoed) {
        return (Map<String, Object>) echoed.get("headers");
    }

    @Test
    void stripPrefixSendsTheRestAndKeepsTheRawQuery() throws Exception {
        Map<String, Object> e = echoed(get("/api/users/42?b=2&a=%20x&a=1"));
        assertThat(e.get("server")).isEqualTo("echo");
        assertThat(e.get("method")).isEqualTo("GET");
        assertThat(e.get("path")).isEqualTo("/users/42");
        assertThat(e.get("query")).isEqualTo("b=2&a=%20x&a=1");
    }

    @Test
    void strippingTheWholePathLeavesTheRoot() throws Exception {
        assertThat(echoed(get("/api")).get("path")).isEqualTo("/");
    }

    @Test
    void stripPrefixWithAVariable() throws Exception {
        assertThat(echoed(get("/t/acme/orders/7?x=y")).get("path")).isEqualTo("/orders/7");
    }

    @Test
    void rewriteFillsVariablesAndTheRest() throws Exception {
        Map<String, Object> e = echoed(get("/svc/billing/items/a/b?page=2"));
        assertThat(e.get("path")).isEqualTo("/v2/billing/things/a/b");
        assertThat(e.get("query")).isEqualTo("page=2");
    }

    @Test
    void theNormalisedPathGoesUpstream() throws Exception {
        RawHttp.Response r = RawHttp.get(gateway.port(), "/api/a/./b/../users/%7Ebob");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(TinyJson.object(r.bodyText()).get("path")).isEqualTo("/a/users/~bob");
    }

    @Test
    void postBodyAndMethodReachTheUpstreamUnchanged() throws Exception {
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.uri("/special/upload?k=v"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("special");
        assertThat(r.headers().firstValue("x-method")).hasValue("POST");
        assertThat(r.headers().firstValue("x-body-bytes")).hasValue("300000");
        assertThat(r.headers().firstValue("x-body-sha256")).hasValue(sha);

        Map<String, Object> e = echoed(http.send(HttpRequest.newBuilder(gateway.uri("/api/form"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(e.get("method")).isEqualTo("POST");
        assertThat(e.get("body_bytes")).isEqualTo(7L);
        assertThat(headersOf(e).get("content-type")).isEqualTo("application/json");
    }

    @Test
    void otherMethodsArePreserved() throws Exception {
        for (String method : new String[] {"PUT", "PATCH", "DELETE", "OPTIONS"}) {
            Map<String, Object> e = echoed(http.send(HttpRequest.newBuilder(gateway.uri("/api/m"))
                    .header("Content-Type", "text/plain")
                    .method(method, HttpRequest.BodyPublishers.ofString("xyz")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertThat(e.get("method")).isEqualTo(method);
            assertThat(e.get("body_bytes")).isEqualTo(3L);
        }
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", "DELETE"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.uri("/api/m"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(200);
            if (!method.equals("HEAD")) assertThat(TinyJson.object(r.body()).get("method")).isEqualTo(method);
        }
    }

    @Test
    void headAnswersCarryNoBodySoConnectionsStayUsable() throws Exception {
        String host = " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port();
        List<RawHttp.Response> r = RawHttp.sequence(gateway.port(),
                "HEAD /api/h1" + host, "GET /api/g1" + host,
                "HEAD /health" + host, "GET /health" + host,
                "HEAD /nowhere" + host, "GET /api/g2" + host,
                "HEAD /api/h2?bytes=5000" + host, "GET /api/g3" + host);
        assertThat(r).extracting(RawHttp.Response::status).containsExactly(200, 200, 200, 200, 404, 200, 200, 200);
        for (int i = 0; i < r.size(); i += 2) assertThat(r.get(i).body()).as("HEAD answer %d", i).isEmpty();
        assertThat(Long.parseLong(r.get(0).header("content-length"))).as("the length a GET would have").isPositive();
        assertThat(r.get(6).header("content-length")).isEqualTo("5000");
        assertThat(r.get(4).header("content-type")).startsWith("application/problem+json");
        assertThat(TinyJson.object(r.get(1).bodyText()).get("path")).isEqualTo("/g1");
        assertThat(TinyJson.object(r.get(3).bodyText()).get("status")).isEqualTo("serving");
        assertThat(TinyJson.object(r.get(5).bodyText()).get("path")).isEqualTo("/g2");
        // the gateway's pooled upstream connections are intact too
        for (int i = 0; i < 20; i++) assertThat(echoed(get("/api/after-head")).get("path")).isEqualTo("/after-head");
    }

    @Test
    void requestsTheRfcForbidsAre400NotBlamedOnTheUpstream() throws Exception {
        // RFC 9110 9.3.7 and 9.3.8; the upstream client refuses to send these, which must not surface as a 502
        Problems.assertProblem(http.send(HttpRequest.newBuilder(gateway.uri("/api/m"))
                .method("OPTIONS", HttpRequest.BodyPublishers.ofString("xyz")).build(),
                HttpResponse.BodyHandlers.ofString()), 400);
        Problems.assertProblem(http.send(HttpRequest.newBuilder(gateway.uri("/api/m"))
                .method("TRACE", HttpRequest.BodyPublishers.ofString("xyz")).build(),
                HttpResponse.BodyHandlers.ofString()), 400);
        Problems.assertProblem(http.send(HttpRequest.newBuilder(gateway.uri("/api/m")).header("Cookie", "session=1")
                .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 400);
        HttpResponse<String> trace = http.send(HttpRequest.newBuilder(gateway.uri("/api/m"))
                .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echoed(trace).get("method")).isEqualTo("TRACE");
    }

    @Test
    void forwardedHeadersAreSetAndClientValuesCannotSpoofThem() throws Exception {
        Map<String, Object> h = headersOf(echoed(get("/api/fwd")));
        assertThat(h.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(h.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(h.get("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());
        assertThat(h.get("host")).as("the upstream sees its own host").isEqualTo("127.0.0.1:" + echoPort);
        assertThat(h).as("nothing hop-by-hop is added on the way").doesNotContainKeys("upgrade", "te", "keep-alive");

        Map<String, Object> h2 = headersOf(echoed(get("/api/fwd", "X-Forwarded-For", "203.0.113.7",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example")));
        assertThat(h2.get("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(h2.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(h2.get("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());

        // a chain spread over several header lines is kept whole
        RawHttp.Response r = RawHttp.get(gateway.port(), "/api/fwd", "X-Forwarded-For: 198.51.100.1",
                "X-Forwarded-For: 198.51.100.2, 198.51.100.3");
        assertThat(headersOf(TinyJson.object(r.bodyText())).get("x-forwarded-for"))
                .isEqualTo("198.51.100.1, 198.51.100.2, 198.51.100.3, 127.0.0.1");
    }

    @Test
    void hopByHopRequestHeadersAreNotSentUpstream() throws Exception {
        RawHttp.Response r = RawHttp.send(gateway.port(), String.join("\r\n",
                "GET /api/hop HTTP/1.1",
                "Host: 127.0.0.1:" + gateway.port(),
                "Connection: keep-alive, X-Hop",
                "Keep-Alive: timeout=5",
                "TE: trailers",
                "Upgrade: foo/1",
                "Proxy-Authorization: Basic Zm9vOmJhcg==",
                "Proxy-Connection: keep-alive",
                "X-Hop: secret",
                "X-End-To-End: kept"), null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        Map<String, Object> h = headersOf(TinyJson.object(r.bodyText()));
        assertThat(h).doesNotContainKeys("keep-alive", "te", "upgrade", "proxy-authorization", "proxy-connection",
                "x-hop");
        assertThat(h.get("x-end-to-end")).isEqualTo("kept");
        if (h.containsKey("connection")) {
            assertThat(((String) h.get("connection")).toLowerCase()).doesNotContain("x-hop");
        }
    }

    @Test
    void aResponseHeaderTheUpstreamRepeatsReachesTheClientWithEveryValueInOrder() throws Exception {
        RawHttp.Response direct = RawHttp.get(specialPort, "/special/x");
        assertThat(direct.headers().get("set-cookie")).as("the backend sends two lines")
                .containsExactly("a=1; Path=/", "b=2; Path=/");
        RawHttp.Response r = RawHttp.get(gateway.port(), "/special/x");
        assertThat(r.headers().get("set-cookie")).containsExactly("a=1; Path=/", "b=2; Path=/");
        assertThat(r.headers().get("x-repeated")).containsExactly("one", "two", "three");
    }

    @Test
    void hopByHopResponseHeadersAreNotSentToTheClient() throws Exception {
        // the backend really sends them (otherwise this test would prove nothing)
        RawHttp.Response direct = RawHttp.get(specialPort, "/special/x");
        assertThat(direct.header("x-foo")).isEqualTo("1");
        assertThat(direct.header("keep-alive")).isEqualTo("timeout=5");
        assertThat(direct.header("upgrade")).isEqualTo("foo/1");
        assertThat(direct.has("proxy-authenticate")).isTrue();

        RawHttp.Response r = RawHttp.get(gateway.port(), "/special/x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("special");
        assertThat(r.headers()).doesNotContainKeys("x-foo", "keep-alive", "upgrade", "proxy-authenticate");
        assertThat(r.header("x-end")).isEqualTo("ok");
        if (r.has("connection")) assertThat(r.header("connection").toLowerCase()).doesNotContain("x-foo");
    }

    @Test
    void theGatewayClosesAConnectionAfterAnsweringARequestMarkedClose() throws Exception {
        String[][] cases = {{"/api/x", "close"}, {"/api/x", "Close"}, {"/api/x", "keep-alive, close"},
            {"/nowhere", "close"}, {"/health", "close"}};
        for (String[] c : cases) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                socket.setSoTimeout(5_000); // a connection left open fails the read below with a timeout
                socket.getOutputStream().write(("GET " + c[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: " + c[1]
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                RawHttp.Response r = RawHttp.read(in, false);
                assertThat(r.status()).as(c[0]).isIn(200, 404);
                assertThat(r.header("connection")).as(c[1]).isEqualToIgnoringCase("close");
                assertThat(in.read()).as("end of stream after the answer to " + c[1]).isEqualTo(-1);
            }
        }
        // without the option the connection stays open for the next request
        assertThat(RawHttp.sequence(gateway.port(), "GET /api/a HTTP/1.1\r\nHost: x", "GET /api/b HTTP/1.1\r\nHost: x"))
                .extracting(RawHttp.Response::status).containsExactly(200, 200);
    }

    @Test
    void aWellFormedRequestIdIsPassedUpAndReturned() throws Exception {
        String id = "abc-123.X_y:z";
        HttpResponse<String> r = get("/api/id", "X-Request-Id", id);
        assertThat(headersOf(echoed(r)).get("x-request-id")).isEqualTo(id);
        assertThat(r.headers().allValues("x-request-id")).containsExactly(id);
    }

    @Test
    void aMalformedRequestIdIsReplaced() throws Exception {
        for (String bad : new String[] {"has space", "semi;colon", "x".repeat(129), "é"}) {
            HttpResponse<String> r = get("/api/id", "X-Request-Id", bad);
            String returned = r.headers().firstValue("x-request-id").orElseThrow();
            assertThat(returned).isNotEqualTo(bad).matches("[A-Za-z0-9._:-]{1,128}");
            assertThat(r.headers().allValues("x-request-id")).hasSize(1);
            assertThat(headersOf(echoed(r)).get("x-request-id")).isEqualTo(returned);
        }
    }

    @Test
    void aMissingRequestIdIsGeneratedSentUpAndReturned() throws Exception {
        HttpResponse<String> r1 = get("/api/id");
        HttpResponse<String> r2 = get("/api/id");
        String id1 = r1.headers().firstValue("x-request-id").orElseThrow();
        String id2 = r2.headers().firstValue("x-request-id").orElseThrow();
        assertThat(id1).matches("[A-Za-z0-9._:-]{8,128}").isNotEqualTo(id2);
        assertThat(headersOf(echoed(r1)).get("x-request-id")).isEqualTo(id1);
        assertThat(headersOf(echoed(r2)).get("x-request-id")).isEqualTo(id2);
    }

    @Test
    void roundRobinHonoursWeights() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        int cycles = 20;
        for (int i = 0; i < 3 * cycles; i++) {
            HttpResponse<String> r = get("/rr/x");
            counts.merge((String) echoed(r).get("server"), 1, Integer::sum);
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("rr-a", cycles, "rr-b", 2 * cycles));
    }

    @Test
    void eachRequestGetsOneAccessLogLine() throws Exception {
        String id = "access-log-line-check";
        get("/api/logged?q=1", "X-Request-Id", id);
        String line = null;
        for (int i = 0; i < 100 && line == null; i++) {
            line = gateway.accessLines().stream().filter(l -> l.contains(id)).findFirst().orElse(null);
            if (line == null) Thread.sleep(20);
        }
        assertThat(line).isNotNull();
        assertThat(gateway.accessLines().stream().filter(l -> l.contains(id))).hasSize(1);
        Map<String, Object> json = TinyJson.object(line);
        assertThat(json).containsEntry("request_id", id).containsEntry("method", "GET")
                .containsEntry("route", "strip").containsEntry("upstream", "echo").containsEntry("status", 200L)
                .containsKeys("time", "client_ip", "path", "target", "bytes_in", "bytes_out", "duration_ms");
    }
}
