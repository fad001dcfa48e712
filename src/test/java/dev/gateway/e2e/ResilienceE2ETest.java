package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection with real upstream servers on loopback: a target killed under load costs idempotent requests
 * nothing (retries, then ejection and health checks keep it out of rotation), a hanging target gets 504 at the
 * deadline and opens the breaker (fast 503s, no traffic) until it heals through half-open, all targets down answer
 * fast, a flapping target's transitions are logged once each, a streamed body is never replayed, and the bulkhead
 * refuses beyond its limit.
 */
class ResilienceE2ETest {
    @TempDir
    Path dir;
    private ResourceStack resources;
    private HttpClient http;

    @BeforeEach
    void start() {
        resources = new ResourceStack();
        http = resources.httpClient();
    }

    @AfterEach
    void stop() {
        resources.close();
    }

    private InProcessGateway gateway(String upstream) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1, shutdown-grace: 1s }
                upstreams:
                  app:
                %s
                routes:
                  - { name: app, path: /**, upstream: app, auth: public }
                """.formatted(upstream.indent(4).stripTrailing()));
        return resources.add(InProcessGateway.start(file));
    }

    private FlakyUpstream upstream(String name) {
        return resources.add(new FlakyUpstream(name));
    }

    private HttpResponse<String> get(InProcessGateway gateway, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, InProcessGateway gateway, String event) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!gateway.events().contains(event) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(gateway.events()).as(what).contains(event);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aTargetKilledUnderLoadCostsIdempotentRequestsNothingAndThenGetsNoTraffic() throws Exception {
        FlakyUpstream a = upstream("a");
        FlakyUpstream b = upstream("b");
        InProcessGateway gateway = gateway("""
                targets: [ "%s", "%s" ]
                health-check: { path: /health, interval: 200ms, timeout: 100ms, unhealthy-after: 2, healthy-after: 2 }
                outlier: { consecutive-failures: 2, eject-for: 30s }
                retry: { attempts: 3, backoff: 5ms, max-backoff: 20ms }
                """.formatted(a.url(), b.url()));
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<List<Integer>>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 4; c++) {
                clients.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    while (running.get()) statuses.add(get(gateway, "/work").statusCode());
                    return statuses;
                }));
            }
            Thread.sleep(400);
            b.stop();
            Thread.sleep(1200);
            running.set(false);
        }
        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> f : clients) all.addAll(f.get());
        assertThat(all).as("requests during the kill").hasSizeGreaterThan(50).containsOnly(200);
        assertThat(gateway.events()).contains("target app " + b.url());

        int before = a.hits.get();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get(gateway, "/after");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("a");
            assertThat(gateway.accessLine(r).get("target")).isEqualTo(a.url());
        }
        assertThat(a.hits.get() - before).isEqualTo(30);
    }

    @Test
    void aHangingTargetGets504AtTheDeadlineOpensTheBreakerAndHealsThroughHalfOpen() throws Exception {
        FlakyUpstream slow = upstream("slow");
        slow.delayMillis = 3000;
        InProcessGateway gateway = gateway("""
                targets: [ "%s" ]
                timeout: 300ms
                circuit-breaker: { failure-ratio: 50%%, minimum-requests: 3, window: 10s, open-for: 1s, half-open-requests: 2 }
                """.formatted(slow.url()));
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = get(gateway, "/hang");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Problems.assertProblem(r, 504);
            assertThat(took).as("504 at the deadline").isBetween(Duration.ofMillis(250), Duration.ofMillis(1500));
        }
        await("the breaker opens", gateway, "circuit breaker of upstream 'app' opened");
        int hits = slow.hits.get();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = get(gateway, "/hang");
            Problems.assertProblem(r, 503);
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("fast").isLessThan(Duration.ofMillis(200));
            assertThat(gateway.accessLine(r).get("target")).isNull();
        }
        assertThat(slow.hits.get()).as("no traffic while open").isEqualTo(hits);

        slow.delayMillis = 0; // heals
        Thread.sleep(1100);
        assertThat(get(gateway, "/probe").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/probe").statusCode()).isEqualTo(200);
        await("the breaker closes", gateway, "circuit breaker of upstream 'app' closed");
        assertThat(gateway.events()).contains("half-open");
        for (int i = 0; i < 5; i++) assertThat(get(gateway, "/ok").statusCode()).isEqualTo(200);
        assertThat(count(gateway.events(), "opened")).isEqualTo(1);
    }

    @Test
    void allTargetsDownAnswerFastNeverHang() throws Exception {
        int[] closed = new int[2];
        for (int i = 0; i < 2; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                closed[i] = s.getLocalPort();
            }
        }
        InProcessGateway gateway = gateway("""
                targets: [ "http://127.0.0.1:%d", "http://127.0.0.1:%d" ]
                retry: { attempts: 3, backoff: 10ms }
                outlier: { consecutive-failures: 1 }
                """.formatted(closed[0], closed[1]));
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = get(gateway, "/x");
            Problems.assertProblem(r, 502);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
        assertThat(count(gateway.events(), "ejected")).as("at most half the targets are ejected").isEqualTo(1);
    }

    @Test
    void aFlappingTargetLeavesAndRejoinsTheRotationWithEachTransitionLoggedOnce() throws Exception {
        FlakyUpstream a = upstream("a");
        FlakyUpstream b = upstream("b");
        InProcessGateway gateway = gateway("""
                targets: [ "%s", "%s" ]
                health-check: { interval: 300ms, timeout: 250ms, unhealthy-after: 2, healthy-after: 2 }
                """.formatted(a.url(), b.url()));
        // generous check timeouts: a slow check of the healthy target on a busy machine must not fail it too
        String bUnhealthy = "target app " + b.url() + " is unhealthy";
        String bHealthy = "target app " + b.url() + " is healthy again";
        for (int round = 1; round <= 2; round++) {
            b.healthy = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (count(gateway.events(), bUnhealthy) < round && System.nanoTime() < deadline) Thread.sleep(20);
            int bHits = b.hits.get();
            for (int i = 0; i < 10; i++) assertThat(get(gateway, "/x").body()).isEqualTo("a");
            assertThat(b.hits.get()).isEqualTo(bHits);
            b.healthy = true;
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (count(gateway.events(), bHealthy) < round && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(count(gateway.events(), bUnhealthy)).isEqualTo(round);
            assertThat(count(gateway.events(), bHealthy)).isEqualTo(round);
            assertThat(gateway.events()).as("a stayed healthy").doesNotContain("target app " + a.url() + " is unhealthy");
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 10; i++) bodies.add(get(gateway, "/x").body());
            assertThat(bodies).as("b is back in rotation").contains("a", "b");
        }
    }

    @Test
    void aStreamedBodyIsNeverReplayedButABodilessGetIsRetried() throws Exception {
        FlakyUpstream failing = upstream("failing");
        failing.status = 503;
        InProcessGateway gateway = gateway("""
                targets: [ "%s" ]
                retry: { attempts: 3, backoff: 5ms, methods: [ GET, POST, PUT ] }
                """.formatted(failing.url()));
        HttpRequest post = HttpRequest.newBuilder(gateway.uri("/upload")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024])).build();
        HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("the upstream's own 503 is relayed").isEqualTo(503);
        assertThat(failing.hits.get()).as("the body went up once").isEqualTo(1);
        assertThat(failing.bodyBytes.get()).isEqualTo(64 * 1024);

        assertThat(get(gateway, "/read").statusCode()).isEqualTo(503);
        assertThat(failing.hits.get()).as("a GET is tried three times").isEqualTo(4);
    }

    @Test
    void theBulkheadRefusesBeyondItsLimitAtOnce() throws Exception {
        FlakyUpstream slow = upstream("slow");
        slow.delayMillis = 800;
        InProcessGateway gateway = gateway("""
                targets: [ "%s" ]
                max-concurrent-requests: 2
                """.formatted(slow.url()));
        List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 2; i++) inFlight.add(pool.submit(() -> get(gateway, "/slow")));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (slow.hits.get() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            long start = System.nanoTime();
            HttpResponse<String> third = get(gateway, "/slow");
            Problems.assertProblem(third, 503);
            assertThat((String) TinyJson.object(third.body()).get("detail")).contains("limit of 2 concurrent requests");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
        }
        for (Future<HttpResponse<String>> f : inFlight) assertThat(f.get().statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/slow").statusCode()).as("capacity is back").isEqualTo(200);
    }

    @Test
    void aReloadKeepsTheHealthAndBreakerStateOfWhatDidNotChange() throws Exception {
        FlakyUpstream a = upstream("a");
        FlakyUpstream b = upstream("b");
        String upstream = """
                targets: [ "%s", "%s" ]
                timeout: %s
                health-check: { interval: 300ms, timeout: 250ms, unhealthy-after: 2, healthy-after: 2 }
                circuit-breaker: { failure-ratio: 50%%, minimum-requests: 2, window: 10s, open-for: 30s }
                """;
        InProcessGateway gateway = gateway(upstream.formatted(a.url(), b.url(), "5s"));
        b.healthy = false;
        await("b unhealthy", gateway, "target app " + b.url() + " is unhealthy");
        // a changed timeout makes a new pool; its targets' health and its breaker carry over
        Files.writeString(dir.resolve("gateway.yaml"), Files.readString(dir.resolve("gateway.yaml"))
                .replace("timeout: 5s", "timeout: 6s"));
        await("reloaded", gateway, "reloaded");
        int bHits = b.hits.get();
        for (int i = 0; i < 10; i++) assertThat(get(gateway, "/x").body()).isEqualTo("a");
        assertThat(b.hits.get()).as("still out of rotation after the reload").isEqualTo(bHits);

        a.status = 503;
        b.status = 503;
        // the window also holds the ten successes above: fail until the ratio passes 50%
        for (int i = 0; i < 30 && !gateway.events().contains("opened"); i++) get(gateway, "/x");
        await("the breaker opens", gateway, "opened");
        Files.writeString(dir.resolve("gateway.yaml"), Files.readString(dir.resolve("gateway.yaml"))
                .replace("timeout: 6s", "timeout: 7s"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count(gateway.events(), "reloaded") < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        HttpResponse<String> r = get(gateway, "/x");
        Problems.assertProblem(r, 503);
        assertThat((String) TinyJson.object(r.body()).get("detail")).contains("circuit breaker is open");
    }
}
