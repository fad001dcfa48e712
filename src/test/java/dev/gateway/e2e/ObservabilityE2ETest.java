package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gateway.auth.Tokens;

/**
 * The operator's view, through a real gateway with an admin listener: Prometheus counters and histograms after known
 * traffic, readiness flipping with target health and during drain, the admin API's JSON (never a secret), and W3C
 * trace context forwarded upstream and written in the access log.
 */
class ObservabilityE2ETest {
    private static final String SECRET = Tokens.secret(40);
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path dir;
    private ResourceStack resources;
    private HttpClient http;
    private int echo;

    @BeforeEach
    void start() {
        resources = new ResourceStack();
        echo = resources.echo("echo");
        http = resources.httpClient();
    }

    @AfterEach
    void stop() {
        resources.close();
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Path config(String extraUpstreams, String extraTop) throws Exception {
        return write("""
                listen: { host: 127.0.0.1, shutdown-grace: 5s }
                admin: { host: 127.0.0.1, port: 0 }
                jwt: { keys: [ { hmac-secret: "%s" } ] }
                rate-limits:
                  store: memory
                  policies: { two: { rate: 1/m, burst: 2, key: ip } }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                  other: { targets: [ "http://127.0.0.1:%d" ] }
                %s
                routes:
                  - { name: app, path: /app/**, upstream: echo, auth: public }
                  - { name: secure, path: /secure, upstream: other, rate-limit: two }
                %s
                """.formatted(SECRET, echo, echo, extraUpstreams.indent(2).stripTrailing(), extraTop));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(java.net.URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (headers.length > 0) b.headers(headers);
        return send(b);
    }

    private static String token(Instant exp) {
        return Tokens.hs256(SECRET, null, new JWTClaimsSet.Builder().subject("ann")
                .issueTime(Date.from(exp.minusSeconds(600))).expirationTime(Date.from(exp)).build());
    }

    /** Every sample of a scrape: {@code name{labels}} to its value; also checks the format line by line. */
    private Map<String, Double> scrape(InProcessGateway gateway) throws Exception {
        HttpResponse<String> r = get(gateway.adminUri("/metrics"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : r.body().lines().toList()) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
            assertThat(line).as("a sample line").matches("[a-z_]+(\\{([a-z_0-9]+=\"[^\"]*\",?)+\\})? \\S+");
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    @Test
    void metricsCountKnownTraffic() throws Exception {
        Path file = config("", "");
        InProcessGateway gateway = resources.add(InProcessGateway.start(file));
        for (int i = 0; i < 5; i++) assertThat(get(gateway.uri("/app/x")).statusCode()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(gateway.uri("/app/post"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))));
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(get(gateway.uri("/nowhere")).statusCode()).isEqualTo(404);
        for (int i = 0; i < 3; i++) assertThat(get(gateway.uri("/secure")).statusCode()).isEqualTo(401);
        assertThat(get(gateway.uri("/secure"), "Authorization", "Bearer " + token(Instant.now().minusSeconds(3600)))
                .statusCode()).isEqualTo(401);
        String good = "Bearer " + token(Instant.now().plusSeconds(600));
        List<Integer> limited = new ArrayList<>();
        for (int i = 0; i < 3; i++) limited.add(get(gateway.uri("/secure"), "Authorization", good).statusCode());
        assertThat(limited).containsExactly(200, 200, 429);

        // the access log line is written after the answer: wait until the last request is counted
        Map<String, Double> m = awaitSample(gateway, "gateway_requests_total{route=\"secure\",method=\"GET\",code=\"4xx\"}", 5);
        assertThat(m).containsEntry("gateway_requests_total{route=\"app\",method=\"GET\",code=\"2xx\"}", 5.0)
                .containsEntry("gateway_requests_total{route=\"app\",method=\"POST\",code=\"2xx\"}", 2.0)
                .containsEntry("gateway_requests_total{route=\"(unmatched)\",method=\"GET\",code=\"4xx\"}", 1.0)
                .containsEntry("gateway_requests_total{route=\"secure\",method=\"GET\",code=\"2xx\"}", 2.0)
                .containsEntry("gateway_jwt_rejections_total{route=\"secure\",reason=\"missing\"}", 3.0)
                .containsEntry("gateway_jwt_rejections_total{route=\"secure\",reason=\"expired\"}", 1.0)
                .containsEntry("gateway_rate_limit_decisions_total{route=\"secure\",decision=\"allowed\"}", 2.0)
                .containsEntry("gateway_rate_limit_decisions_total{route=\"secure\",decision=\"limited\"}", 1.0)
                .containsEntry("gateway_request_bytes_total{route=\"app\"}", 200.0)
                .containsEntry("gateway_request_duration_seconds_count{route=\"app\"}", 7.0)
                .containsEntry("gateway_request_duration_seconds_bucket{route=\"app\",le=\"+Inf\"}", 7.0)
                .containsEntry("gateway_upstream_attempt_duration_seconds_count{upstream=\"echo\"}", 7.0)
                .containsEntry("gateway_upstream_attempt_duration_seconds_count{upstream=\"other\"}", 2.0)
                .containsEntry("gateway_upstream_retries_total{upstream=\"echo\"}", 0.0)
                .containsEntry("gateway_upstream_target_up{upstream=\"echo\",target=\"http://127.0.0.1:" + echo + "\"}", 1.0)
                .containsEntry("gateway_requests_in_flight", 0.0)
                .containsEntry("gateway_websocket_connections", 0.0)
                .containsEntry("gateway_config_info{sha256=\"" + sha256(file) + "\"}", 1.0)
                .containsEntry("gateway_config_reloads_total{result=\"success\"}", 0.0);
        assertThat(m.get("gateway_response_bytes_total{route=\"app\"}")).isGreaterThan(7 * 100.0);
        assertThat(m.get("gateway_request_duration_seconds_sum{route=\"app\"}")).isGreaterThan(0.0);
        double previous = 0;
        for (String le : List.of("0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0",
                "2.5", "5.0", "10.0", "+Inf")) {
            double n = m.get("gateway_request_duration_seconds_bucket{route=\"app\",le=\"" + le + "\"}");
            assertThat(n).as("bucket le=" + le + " is cumulative").isGreaterThanOrEqualTo(previous);
            previous = n;
        }
        assertThat(m.get("gateway_config_loaded_timestamp_seconds"))
                .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
        assertThat(m.keySet()).allSatisfy(k -> assertThat(k).doesNotContain("/app/x", "/nowhere"));

        // a good reload and a rejected one are both counted
        Files.writeString(file, Files.readString(file).replace("burst: 2", "burst: 3"));
        m = awaitSample(gateway, "gateway_config_reloads_total{result=\"success\"}", 1);
        assertThat(m).containsEntry("gateway_config_info{sha256=\"" + sha256(file) + "\"}", 1.0);
        Files.writeString(file, Files.readString(file).replace("upstream: other", "upstream: missing"));
        awaitSample(gateway, "gateway_config_reloads_total{result=\"failure\"}", 1);
    }

    private Map<String, Double> awaitSample(InProcessGateway gateway, String series, double value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, Double> m = scrape(gateway);
        while (!Double.valueOf(value).equals(m.get(series)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            m = scrape(gateway);
        }
        assertThat(m).containsEntry(series, value);
        return m;
    }

    @Test
    void retriesBreakerStateAndTargetHealthAreExportedAndReadinessFollowsTheTargets() throws Exception {
        FlakyUpstream a = resources.add(new FlakyUpstream("a"));
        FlakyUpstream b = resources.add(new FlakyUpstream("b"));
        Path file = config("""
                flaky:
                  targets: [ "%s", "%s" ]
                  health-check: { path: /health, interval: 100ms, timeout: 100ms, unhealthy-after: 1, healthy-after: 1 }
                  retry: { attempts: 2, backoff: 1ms, max-backoff: 2ms, on: [ 503 ], budget: 100%% }
                  circuit-breaker: { failure-ratio: 90%%, minimum-requests: 100, window: 10s, open-for: 10s }
                """.formatted(a.url(), b.url()), """
                  - { name: flaky, path: /flaky, upstream: flaky, auth: public }
                readiness: { require-healthy-upstreams: true }""");
        InProcessGateway gateway = resources.add(InProcessGateway.start(file));
        assertThat(get(gateway.adminUri("/ready")).statusCode()).isEqualTo(200);
        assertThat(get(gateway.uri("/ready")).statusCode()).as("also on the main listener").isEqualTo(200);

        b.status = 503;
        for (int i = 0; i < 6; i++) assertThat(get(gateway.uri("/flaky")).statusCode()).isEqualTo(200);
        Map<String, Double> m = scrape(gateway);
        assertThat(m.get("gateway_upstream_retries_total{upstream=\"flaky\"}")).isGreaterThanOrEqualTo(3.0);
        assertThat(m).containsEntry("gateway_circuit_breaker_state{upstream=\"flaky\",state=\"closed\"}", 1.0)
                .containsEntry("gateway_circuit_breaker_state{upstream=\"flaky\",state=\"open\"}", 0.0);

        a.healthy = false;
        b.healthy = false;
        HttpResponse<String> ready = awaitStatus(gateway.adminUri("/ready"), 503);
        Map<String, Object> body = TinyJson.object(ready.body());
        assertThat(body.get("status")).isEqualTo("not ready");
        assertThat(body.get("reasons")).isEqualTo(List.of("upstream 'flaky' has no target in rotation"));
        assertThat(get(gateway.uri("/ready")).statusCode()).isEqualTo(503);
        assertThat(get(gateway.uri("/health")).statusCode()).as("liveness is not readiness").isEqualTo(200);
        assertThat(scrape(gateway)).containsEntry("gateway_upstream_target_up{upstream=\"flaky\",target=\""
                + a.url() + "\"}", 0.0);

        a.healthy = true;
        awaitStatus(gateway.adminUri("/ready"), 200);
        Map<String, Object> upstreams = TinyJson.object(get(gateway.adminUri("/admin/upstreams")).body());
        @SuppressWarnings("unchecked") Map<String, Object> flaky = ((List<Map<String, Object>>) upstreams.get("upstreams"))
                .stream().filter(u -> u.get("name").equals("flaky")).findFirst().orElseThrow();
        assertThat(flaky.get("circuit_breaker")).isEqualTo("closed");
        assertThat(flaky.get("balance")).isEqualTo("round-robin");
        @SuppressWarnings("unchecked") List<Map<String, Object>> targets = (List<Map<String, Object>>) flaky.get("targets");
        assertThat(targets).extracting(t -> t.get("url")).containsExactly(a.url(), b.url());
        assertThat(targets).extracting(t -> t.get("healthy")).containsExactly(true, false);
        assertThat(targets).extracting(t -> t.get("available")).containsExactly(true, false);
    }

    private HttpResponse<String> awaitStatus(java.net.URI uri, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> r = get(uri);
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            r = get(uri);
        }
        assertThat(r.statusCode()).as(uri + " " + r.body()).isEqualTo(status);
        return r;
    }

    @Test
    void readinessTurns503WhileDrainingAndTheAdminListenerStopsLast() throws Exception {
        FlakyUpstream slow = resources.add(new FlakyUpstream("slow"));
        slow.delayMillis = 1500;
        InProcessGateway gateway = InProcessGateway.start(config("slow: { targets: [ \"" + slow.url() + "\" ] }",
                "  - { name: slow, path: /slow, upstream: slow, auth: public }"));
        java.net.URI ready = gateway.adminUri("/ready");
        assertThat(get(ready).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return get(gateway.uri("/slow"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (slow.hits.get() == 0) Thread.sleep(10);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
        HttpResponse<String> draining = awaitStatus(ready, 503);
        assertThat(TinyJson.object(draining.body())).containsEntry("draining", true);
        assertThat(TinyJson.object(draining.body()).get("reasons").toString()).contains("draining");
        assertThat(TinyJson.object(get(gateway.adminUri("/health")).body())).containsEntry("status", "draining");
        assertThat(inFlight.get().statusCode()).as("the request in flight finishes").isEqualTo(200);
        closing.get();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", ready.getPort()).close())
                .as("the admin listener is closed after the drain").isInstanceOf(ConnectException.class);
    }

    @Test
    void theAdminApiShowsRoutesUpstreamsAndTheConfigWithoutSecrets() throws Exception {
        Path file = config("", "");
        InProcessGateway gateway = resources.add(InProcessGateway.start(file));

        Map<String, Object> routes = TinyJson.object(get(gateway.adminUri("/admin/routes")).body());
        assertThat(routes.get("config_sha256")).isEqualTo(sha256(file));
        @SuppressWarnings("unchecked") List<Map<String, Object>> rows = (List<Map<String, Object>>) routes.get("routes");
        assertThat(rows).extracting(r -> r.get("route")).containsExactly("app", "secure");
        assertThat(rows.get(1)).containsEntry("auth", "token").containsEntry("rate_limit", "two")
                .containsEntry("path", "/secure").containsEntry("methods", "*")
                .containsEntry("upstream", "other [http://127.0.0.1:" + echo + "]");
        assertThat((String) rows.get(0).get("defined_at")).matches(".*gateway\\.yaml:\\d+:\\d+");

        HttpResponse<String> config = get(gateway.adminUri("/admin/config"));
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(config.body()).doesNotContain(SECRET).contains("\"hmac-secret\":\"<redacted>\"");
        Map<String, Object> c = TinyJson.object(config.body());
        assertThat(c.get("sha256")).isEqualTo(sha256(file));
        assertThat(c.get("last_reload")).isNull();
        assertThat(c.get("config").toString()).contains("burst=2");

        Files.writeString(file, Files.readString(file).replace("upstream: other", "upstream: othr"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (TinyJson.object(get(gateway.adminUri("/admin/config")).body()).get("last_reload") == null
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Map<String, Object> after = TinyJson.object(get(gateway.adminUri("/admin/config")).body());
        @SuppressWarnings("unchecked") Map<String, Object> last = (Map<String, Object>) after.get("last_reload");
        assertThat(last).containsEntry("result", "rejected").containsEntry("sha256", sha256(file));
        assertThat(last.get("errors").toString()).contains("gateway.yaml:", "unknown upstream 'othr'",
                "did you mean 'other'?");
        assertThat(after.get("sha256")).as("still serving the previous file").isEqualTo(routes.get("config_sha256"));

        HttpResponse<String> post = send(HttpRequest.newBuilder(gateway.adminUri("/admin/routes"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("content-type")).hasValue("application/problem+json");
        HttpResponse<String> unknown = get(gateway.adminUri("/admin/secrets"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TinyJson.object(unknown.body()).get("request_id")).isNotNull();
        assertThat(get(gateway.uri("/metrics")).statusCode()).as("metrics are not on the main listener").isEqualTo(404);
    }

    @Test
    void traceContextIsContinuedOrStartedForwardedUpstreamAndLogged() throws Exception {
        InProcessGateway gateway = resources.add(InProcessGateway.start(config("", "")));
        HttpResponse<String> r = get(gateway.uri("/app/t"), "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01",
                "tracestate", "vendor=abc");
        Map<String, Object> headers = headersSeen(r);
        assertThat((String) headers.get("traceparent")).matches("00-" + TRACE + "-[0-9a-f]{16}-01")
                .doesNotContain("00f067aa0ba902b7");
        assertThat(headers.get("tracestate")).isEqualTo("vendor=abc");
        assertThat(gateway.accessLine(r).get("trace_id")).isEqualTo(TRACE);

        HttpResponse<String> bad = get(gateway.uri("/app/t"), "traceparent", "00-" + TRACE.toUpperCase()
                + "-00f067aa0ba902b7-01", "tracestate", "vendor=abc");
        Map<String, Object> fresh = headersSeen(bad);
        String traceId = (String) gateway.accessLine(bad).get("trace_id");
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
        assertThat(fresh.get("traceparent")).isEqualTo(fresh.get("traceparent"));
        assertThat((String) fresh.get("traceparent")).startsWith("00-" + traceId + "-").endsWith("-01");
        assertThat(fresh).as("tracestate of a trace not continued").doesNotContainKey("tracestate");

        HttpResponse<String> none = get(gateway.uri("/app/t"));
        assertThat((String) headersSeen(none).get("traceparent"))
                .startsWith("00-" + gateway.accessLine(none).get("trace_id") + "-");
        assertThat(none.headers().firstValue("x-request-id")).as("a new trace's id is the new request's id")
                .hasValue((String) gateway.accessLine(none).get("trace_id"));
        assertThat(r.headers().firstValue("x-request-id").orElseThrow()).as("a continued trace is not one request")
                .isNotEqualTo(TRACE).matches("[0-9a-f]{32}");
    }

    @Test
    void theRealServeCommandStartsTheAdminListenerAndSaysWhere() throws Exception {
        try (GatewayProcess.Serving serving = GatewayProcess.serve(config("", ""), dir.resolve("access.log"))) {
            String line = serving.process().awaitStderr(l -> l.contains("admin listening on"), 0, Duration.ofSeconds(10));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("admin listening on http://127\\.0\\.0\\.1:(\\d+) ")
                    .matcher(line);
            assertThat(m.find()).as(line).isTrue();
            int admin = Integer.parseInt(m.group(1));
            assertThat(get(java.net.URI.create("http://127.0.0.1:" + serving.port() + "/app/one")).statusCode())
                    .isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String body = get(java.net.URI.create("http://127.0.0.1:" + admin + "/metrics")).body();
            while (!body.contains("gateway_requests_total{route=\"app\",method=\"GET\",code=\"2xx\"} 1")
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
                body = get(java.net.URI.create("http://127.0.0.1:" + admin + "/metrics")).body();
            }
            assertThat(body).contains("gateway_requests_total{route=\"app\",method=\"GET\",code=\"2xx\"} 1");
            assertThat(get(java.net.URI.create("http://127.0.0.1:" + admin + "/ready")).statusCode()).isEqualTo(200);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headersSeen(HttpResponse<String> echoed) {
        assertThat(echoed.statusCode()).isEqualTo(200);
        return (Map<String, Object>) TinyJson.object(echoed.body()).get("headers");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
