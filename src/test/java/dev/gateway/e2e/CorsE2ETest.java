package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gateway.auth.Tokens;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CORS through an in-process gateway, checked against the Fetch standard: preflights answered by the gateway
 * without a token and never forwarded, Access-Control-* and Vary on actual responses (the gateway's own errors
 * included), nothing for a disallowed origin, a per-route policy, and an upstream's own CORS headers replaced.
 */
class CorsE2ETest {
    private static final String APP = "http://app.test:3000";
    private static final String EVIL = "http://evil.test";
    private static final String OTHER = "http://widgets.example";

    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static final AtomicInteger legacyCalls = new AtomicInteger();
    private static final String secret = Tokens.secret(48);
    private static InProcessGateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        int echo = resources.echo("echo");
        int legacy = resources.server(WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.any((req, res) -> {
                    // an upstream that answers CORS itself, more loosely than the gateway's policy
                    legacyCalls.incrementAndGet();
                    res.header("Access-Control-Allow-Origin", "*");
                    res.header("Access-Control-Allow-Credentials", "true");
                    res.header("Access-Control-Expose-Headers", "X-Legacy-Secret");
                    res.header("Vary", "Accept-Encoding");
                    res.header("X-Legacy-Secret", "42");
                    res.send("legacy");
                })).build());
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1, shutdown-grace: 1s }
                jwt:
                  keys: [ { hmac-secret: "%s" } ]
                  forward-claims: { sub: X-User-Id }
                cors:
                  origins: [ "%s" ]
                  methods: [ GET, POST, PUT, DELETE ]
                  headers: [ Authorization, Content-Type ]
                  expose-headers: [ X-Request-Id ]
                  credentials: true
                  max-age: 10m
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                  legacy: { targets: [ "http://127.0.0.1:%d" ] }
                  gone: { targets: [ "http://127.0.0.1:%d" ], connect-timeout: 1s }
                routes:
                  - { name: protected, path: /api/private/**, upstream: echo }
                  - { name: public, path: /api/public/**, upstream: echo, auth: public }
                  - { name: gone, path: /gone/**, upstream: gone, auth: public }
                  - { name: legacy, path: /legacy/**, upstream: legacy, auth: public }
                  - name: widget
                    path: /widget/**
                    upstream: echo
                    auth: public
                    cors: { origins: [ "*" ], methods: [ GET ], headers: [ X-Widget ] }
                """.formatted(secret, APP, echo, legacy, closedPort()));
        gateway = resources.add(InProcessGateway.start(config));
        http = resources.httpClient();
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    // ---- preflight ----

    @Test
    void allowedPreflightIsAnsweredByTheGatewayWithoutAToken() throws Exception {
        String id = requestId();
        HttpResponse<String> r = preflight("/api/private/orders", APP, "DELETE", "authorization,content-type",
                "X-Request-Id", id);

        assertThat(r.statusCode()).as("an ok status, here 204").isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly(APP);
        assertThat(r.headers().allValues("access-control-allow-credentials")).containsExactly("true");
        assertThat(list(r, "access-control-allow-methods")).contains("DELETE");
        assertThat(lowerList(r, "access-control-allow-headers")).contains("authorization", "content-type");
        assertThat(r.headers().allValues("access-control-max-age")).containsExactly("600");
        assertThat(lowerList(r, "vary")).contains("origin", "access-control-request-method",
                "access-control-request-headers");
        assertThat(r.headers().firstValue("www-authenticate")).as("no auth challenge on a preflight").isEmpty();
        assertThat(fetchAcceptsPreflight(r, APP, true, "DELETE", "authorization", "content-type")).isTrue();
        assertThat(gateway.accessLine(id)).containsEntry("method", "OPTIONS").containsEntry("status", 204L)
                .containsEntry("route", "protected").containsEntry("target", null);
    }

    @Test
    void preflightForASafelistedMethodWithoutRequestHeadersIsAllowed() throws Exception {
        HttpResponse<String> r = preflight("/api/public/items", APP, "GET", null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(fetchAcceptsPreflight(r, APP, true, "GET")).isTrue();
    }

    @Test
    void preflightIsNeverForwardedUpstream() throws Exception {
        int before = legacyCalls.get();
        HttpResponse<String> r = preflight("/legacy/report", APP, "PUT", "content-type");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly(APP);
        assertThat(legacyCalls.get()).as("calls the upstream received").isEqualTo(before);
    }

    @Test
    void preflightFromADisallowedOriginGetsNoAllowHeaders() throws Exception {
        String id = requestId();
        HttpResponse<String> r = preflight("/api/private/orders", EVIL, "DELETE", "authorization",
                "X-Request-Id", id);
        assertRefused(r);
        assertThat(gateway.accessLine(id)).containsEntry("target", null);
    }

    @Test
    void preflightForADisallowedMethodGetsNoAllowHeaders() throws Exception {
        assertRefused(preflight("/api/private/orders", APP, "PATCH", "authorization"));
    }

    @Test
    void preflightForADisallowedHeaderGetsNoAllowHeaders() throws Exception {
        assertRefused(preflight("/api/private/orders", APP, "GET", "authorization,x-secret"));
    }

    // ---- actual requests ----

    @Test
    void actualRequestFromAnAllowedOriginWithATokenCarriesTheCorsHeaders() throws Exception {
        HttpResponse<String> r = get("/api/private/orders", "Origin", APP, "Authorization", "Bearer " + token("alice"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-echo-server")).as("answered by the upstream").contains("echo");
        assertThat(echoedHeaders(r)).containsEntry("x-user-id", "alice");
        assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly(APP);
        assertThat(r.headers().allValues("access-control-allow-credentials")).containsExactly("true");
        assertThat(lowerList(r, "access-control-expose-headers")).containsExactly("x-request-id");
        assertThat(lowerList(r, "vary")).contains("origin");
        assertThat(fetchAcceptsResponse(r, APP, true)).isTrue();
    }

    @Test
    void theGatewaysOwn401CarriesTheCorsHeadersSoTheBrowserCanReadIt() throws Exception {
        HttpResponse<String> r = get("/api/private/orders", "Origin", APP);
        Problems.assertProblem(r, 401);
        assertThat(r.headers().firstValue("www-authenticate")).isPresent();
        assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly(APP);
        assertThat(r.headers().allValues("access-control-allow-credentials")).containsExactly("true");
        assertThat(lowerList(r, "vary")).contains("origin");
        assertThat(fetchAcceptsResponse(r, APP, true)).isTrue();
    }

    @Test
    void theGatewaysOwn404And502CarryTheCorsHeaders() throws Exception {
        HttpResponse<String> notFound = get("/nothing/here", "Origin", APP);
        Problems.assertProblem(notFound, 404);
        assertThat(notFound.headers().allValues("access-control-allow-origin")).containsExactly(APP);

        HttpResponse<String> badGateway = get("/gone/x", "Origin", APP);
        Problems.assertProblem(badGateway, 502);
        assertThat(badGateway.headers().allValues("access-control-allow-origin")).containsExactly(APP);
        assertThat(fetchAcceptsResponse(badGateway, APP, true)).isTrue();
    }

    @Test
    void actualRequestFromADisallowedOriginGetsNoCorsHeadersButVaryOrigin() throws Exception {
        HttpResponse<String> r = get("/api/public/items", "Origin", EVIL);
        assertThat(r.statusCode()).as("served: CORS only stops the browser from reading it").isEqualTo(200);
        assertThat(corsHeaderNames(r)).isEmpty();
        assertThat(lowerList(r, "vary")).contains("origin");
        assertThat(fetchAcceptsResponse(r, EVIL, false)).isFalse();
    }

    @Test
    void requestWithoutOriginGetsNoCorsHeadersButVaryOrigin() throws Exception {
        HttpResponse<String> r = get("/api/public/items");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(corsHeaderNames(r)).isEmpty();
        assertThat(lowerList(r, "vary")).as("a cache must not hand this answer to a cross-origin request")
                .contains("origin");
    }

    // ---- per-route policy ----

    @Test
    void aRoutesOwnPolicyReplacesTheTopLevelOneForPreflights() throws Exception {
        HttpResponse<String> r = preflight("/widget/embed", OTHER, "GET", "x-widget");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly("*");
        assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
        assertThat(lowerList(r, "access-control-allow-headers")).contains("x-widget");
        assertThat(r.headers().allValues("access-control-max-age")).as("the default 5m").containsExactly("300");
        assertThat(fetchAcceptsPreflight(r, OTHER, false, "GET", "x-widget")).isTrue();

        // the top-level policy would allow this; the route's own does not list Authorization or DELETE
        assertRefused(preflight("/widget/embed", APP, "GET", "authorization"));
        assertRefused(preflight("/widget/embed", APP, "DELETE", null));
    }

    @Test
    void aRoutesOwnPolicyReplacesTheTopLevelOneForActualResponses() throws Exception {
        HttpResponse<String> r = get("/widget/embed", "Origin", APP);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly("*");
        assertThat(r.headers().firstValue("access-control-allow-credentials")).isEmpty();
        assertThat(r.headers().firstValue("access-control-expose-headers")).isEmpty();
        assertThat(fetchAcceptsResponse(r, APP, false)).isTrue();
        assertThat(fetchAcceptsResponse(r, APP, true)).as("credentialed fetch needs an exact origin").isFalse();
    }

    // ---- an upstream that sets CORS headers itself ----

    @Test
    void theUpstreamsOwnCorsHeadersAreReplacedAndItsVaryKept() throws Exception {
        HttpResponse<String> r = get("/legacy/report", "Origin", APP);
        assertThat(r.body()).isEqualTo("legacy");
        assertThat(r.headers().allValues("access-control-allow-origin")).as("exactly one value, the gateway's")
                .containsExactly(APP);
        assertThat(r.headers().allValues("access-control-allow-credentials")).containsExactly("true");
        assertThat(lowerList(r, "access-control-expose-headers")).containsExactly("x-request-id");
        assertThat(lowerList(r, "vary")).contains("origin", "accept-encoding");
        assertThat(fetchAcceptsResponse(r, APP, true)).isTrue();
    }

    @Test
    void theUpstreamsWildcardDoesNotLetADisallowedOriginIn() throws Exception {
        HttpResponse<String> r = get("/legacy/report", "Origin", EVIL);
        assertThat(r.body()).isEqualTo("legacy");
        assertThat(corsHeaderNames(r)).isEmpty();
        assertThat(lowerList(r, "vary")).contains("origin", "accept-encoding");
        assertThat(fetchAcceptsResponse(r, EVIL, false)).isFalse();
    }

    // ---- the Fetch standard's checks, as a browser runs them ----

    /**
     * Fetch "CORS check" (3.2.3): Access-Control-Allow-Origin must be exactly one value, the origin byte for byte
     * (or {@code *} when not credentialed), and with credentials Access-Control-Allow-Credentials must be "true".
     */
    private static boolean fetchAcceptsResponse(HttpResponse<?> r, String origin, boolean credentials) {
        List<String> acao = r.headers().allValues("access-control-allow-origin");
        if (acao.size() != 1) return false;
        String value = acao.getFirst();
        if (value.equals("*") && !credentials) return true;
        if (!value.equals(origin)) return false;
        return !credentials || r.headers().allValues("access-control-allow-credentials").equals(List.of("true"));
    }

    /**
     * Fetch "CORS-preflight fetch" (4.8): an ok status and the CORS check, then the request method must be listed
     * (or be safelisted, or {@code *} when not credentialed) and every requested header listed by name, case
     * insensitively ({@code *} never covers Authorization, and counts only when not credentialed).
     */
    private static boolean fetchAcceptsPreflight(HttpResponse<?> r, String origin, boolean credentials, String method,
                                                 String... headers) {
        if (r.statusCode() < 200 || r.statusCode() > 299 || !fetchAcceptsResponse(r, origin, credentials)) return false;
        List<String> methods = list(r, "access-control-allow-methods");
        boolean methodOk = methods.contains(method) || List.of("GET", "HEAD", "POST").contains(method)
                || (!credentials && methods.contains("*"));
        List<String> allowed = lowerList(r, "access-control-allow-headers");
        boolean headersOk = Arrays.stream(headers).map(h -> h.toLowerCase(Locale.ROOT)).allMatch(h -> allowed.contains(h)
                || (!credentials && allowed.contains("*") && !h.equals("authorization")));
        return methodOk && headersOk;
    }

    private static void assertRefused(HttpResponse<String> r) {
        assertThat(r.statusCode() / 100).as("status class (not an ok status)").isNotEqualTo(2);
        assertThat(corsHeaderNames(r)).as("Access-Control-* headers on a refused preflight").isEmpty();
        assertThat(r.headers().firstValue("www-authenticate")).as("refused by CORS, not by auth").isEmpty();
        assertThat(lowerList(r, "vary")).contains("origin");
    }

    // ---- plumbing ----

    private static HttpResponse<String> preflight(String path, String origin, String method, String requestHeaders,
                                                  String... more) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method);
        if (requestHeaders != null) b.header("Access-Control-Request-Headers", requestHeaders);
        if (more.length > 0) b.headers(more);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String subject) {
        return Tokens.hs256(secret, null, new JWTClaimsSet.Builder().subject(subject)
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 600_000)).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> echoedHeaders(HttpResponse<String> r) {
        return (Map<String, Object>) TinyJson.object(r.body()).get("headers");
    }

    /** Every comma-separated element of every field line of {@code name}, trimmed. */
    private static List<String> list(HttpResponse<?> r, String name) {
        return r.headers().allValues(name).stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> lowerList(HttpResponse<?> r, String name) {
        return list(r, name).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<String> corsHeaderNames(HttpResponse<?> r) {
        return r.headers().map().keySet().stream().map(n -> n.toLowerCase(Locale.ROOT))
                .filter(n -> n.startsWith("access-control-")).toList();
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String requestId() {
        return "cors-" + UUID.randomUUID();
    }
}
