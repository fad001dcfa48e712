package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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

import dev.gateway.ratelimit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits shared through a real Redis (started by the test): two gateway instances spend one exact budget,
 * Retry-After says when the next request passes, a killed Redis fails open quickly and limiting resumes by itself
 * when it restarts, and a three-node Redis Cluster works as the store.
 */
class RedisRateLimitE2ETest {
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

    private InProcessGateway gateway(String name, String store, String policy) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1 }
                admin: { host: 127.0.0.1, port: 0 }
                rate-limits:
                  store: "%s"
                  store-timeout: 200ms
                  policies: { limit: %s }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: api, path: /api, upstream: echo, auth: public, rate-limit: limit }
                """.formatted(store, policy, echo));
        return resources.add(InProcessGateway.start(file));
    }

    private int status(InProcessGateway gateway) throws Exception {
        return send(gateway).statusCode();
    }

    private HttpResponse<String> send(InProcessGateway gateway) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/api")).timeout(Duration.ofSeconds(30)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code count} requests at once, alternating between the gateways; returns how many got 200. */
    private long concurrentPasses(List<InProcessGateway> gateways, int count) throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                InProcessGateway g = gateways.get(i % gateways.size());
                results.add(pool.submit(() -> status(g)));
            }
        }
        long passed = 0;
        for (Future<Integer> r : results) {
            int s = r.get();
            assertThat(s).isIn(200, 429);
            if (s == 200) passed++;
        }
        return passed;
    }

    @Test
    void twoGatewaysOnOneRedisShareOneExactBudget() throws Exception {
        RedisServer redis = resources.add(RedisServer.start());
        InProcessGateway a = gateway("a", redis.uri(), "{ rate: 1/h, burst: 10 }");
        InProcessGateway b = gateway("b", redis.uri(), "{ rate: 1/h, burst: 10 }");
        assertThat(concurrentPasses(List.of(a, b), 40)).isEqualTo(10);
        HttpResponse<String> limited = send(b);
        Problems.assertProblem(limited, 429);
        assertThat(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow())).isBetween(3000L, 3600L);
        assertThat(a.events() + b.events()).doesNotContain("unavailable");
    }

    @Test
    void retryAfterSaysWhenTheNextRequestPasses() throws Exception {
        RedisServer redis = resources.add(RedisServer.start());
        InProcessGateway gateway = gateway("g", redis.uri(), "{ rate: 1/s, burst: 1 }");
        assertThat(status(gateway)).isEqualTo(200);
        HttpResponse<String> limited = send(gateway);
        assertThat(limited.statusCode()).isEqualTo(429);
        long retry = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
        assertThat(retry).isEqualTo(1);
        Thread.sleep(retry * 1000);
        assertThat(status(gateway)).as("after Retry-After seconds").isEqualTo(200);
    }

    @Test
    void aKilledRedisFailsOpenQuicklyAndLimitingResumesWhenItRestarts() throws Exception {
        RedisServer redis = resources.add(RedisServer.start());
        InProcessGateway gateway = gateway("g", redis.uri(), "{ rate: 1/h, burst: 3 }");
        assertThat(concurrentPasses(List.of(gateway), 6)).isEqualTo(3);

        redis.kill();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            assertThat(status(gateway)).as("fail open").isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded delay").isLessThan(Duration.ofSeconds(1));
        }
        assertThat(gateway.events().split("is unavailable", -1)).as("one warning per outage").hasSize(2);
        String metrics = http.send(HttpRequest.newBuilder(gateway.adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("gateway_rate_limit_decisions_total{route=\"api\",decision=\"allowed\"} 3\n",
                "gateway_rate_limit_decisions_total{route=\"api\",decision=\"limited\"} 3\n",
                "gateway_rate_limit_decisions_total{route=\"api\",decision=\"store_error\"} 10\n");
        java.util.regex.Matcher failures = java.util.regex.Pattern
                .compile("\ngateway_rate_limit_store_failures_total (\\d+)\n").matcher(metrics);
        assertThat(failures.find()).as(metrics).isTrue();
        assertThat(Long.parseLong(failures.group(1))).as("store failures counted").isPositive();

        redis.restart(); // an empty server: the budget starts afresh once limiting resumes
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!gateway.events().contains("answers again") && System.nanoTime() < deadline) {
            status(gateway);
            Thread.sleep(100);
        }
        assertThat(gateway.events()).contains("answers again");
        // whatever the polling spent, the bucket is limited again: a burst of requests cannot all pass
        assertThat(concurrentPasses(List.of(gateway), 6)).isLessThanOrEqualTo(3);
        assertThat(status(gateway)).isEqualTo(429);
        assertThat(gateway.events().split("is unavailable", -1)).hasSize(2);
    }

    @Test
    void aRedisClusterIsAStoreToo() throws Exception {
        RedisServer cluster = resources.add(RedisServer.cluster(3));
        InProcessGateway a = gateway("a", cluster.uri(), "{ rate: 1/h, burst: 7 }");
        InProcessGateway b = gateway("b", cluster.uri(), "{ rate: 1/h, burst: 7 }");
        assertThat(concurrentPasses(List.of(a, b), 20)).isEqualTo(7);
        assertThat(a.events() + b.events()).doesNotContain("unavailable");
    }
}
