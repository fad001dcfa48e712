package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.gateway.auth.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits through the real gateway with the in-memory store: exactly the burst passes under concurrency, 429s
 * carry Retry-After and RateLimit-* and never reach the upstream, buckets are per ip, per user or per header, a
 * spoofed X-Forwarded-For only counts from a trusted proxy, a reload keeps unchanged buckets, and an unreachable
 * Redis store fails open or answers 503 as configured.
 */
class RateLimitE2ETest {
    private static final String SECRET = Tokens.secret(40);

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

    private Path config(String store, String clientIp, String policies) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1 }
                jwt: { keys: [ { hmac-secret: "%s" } ] }
                rate-limits:
                  %s
                  policies:
                %s
                %s
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: login, path: /login, upstream: echo, auth: public, rate-limit: per-ip }
                  - { name: other, path: /other, upstream: echo, auth: public, rate-limit: per-ip }
                  - { name: shared-a, path: /shared/a, upstream: echo, auth: public, rate-limit: shared }
                  - { name: shared-b, path: /shared/b, upstream: echo, auth: public, rate-limit: shared }
                  - { name: me, path: /me, upstream: echo, rate-limit: per-user }
                  - { name: keyed, path: /keyed, upstream: echo, auth: public, rate-limit: per-key }
                  - { name: open, path: /open, upstream: echo, auth: public }
                """.formatted(SECRET, store, policies.indent(4).stripTrailing(), clientIp, echo));
        return file;
    }

    private static final String POLICIES = """
            per-ip: { rate: 1/m, burst: 5, key: ip }
            shared: { rate: 1/m, burst: 2, key: ip, scope: global }
            per-user: { rate: 1/m, burst: 2, key: user }
            per-key: { rate: 1/m, burst: 1, key: "header:X-Api-Key" }""";

    private InProcessGateway gateway(String store, String clientIp) throws Exception {
        return resources.add(InProcessGateway.start(config(store, clientIp, POLICIES)));
    }

    private HttpResponse<String> get(InProcessGateway gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String sub) {
        Instant now = Instant.now();
        return Tokens.hs256(SECRET, null, new JWTClaimsSet.Builder().subject(sub).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).build());
    }

    @Test
    void exactlyTheBurstPassesUnderConcurrencyAndTheRestGet429WithoutReachingTheUpstream() throws Exception {
        InProcessGateway gateway = gateway("store: memory", "");
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) futures.add(pool.submit(() -> get(gateway, "/login")));
        }
        List<HttpResponse<String>> passed = new ArrayList<>();
        List<HttpResponse<String>> limited = new ArrayList<>();
        for (Future<HttpResponse<String>> f : futures) {
            HttpResponse<String> r = f.get();
            (r.statusCode() == 200 ? passed : limited).add(r);
        }
        assertThat(passed).hasSize(5);
        assertThat(limited).hasSize(35).allSatisfy(r -> {
            Problems.assertProblem(r, 429);
            // 1/m: the next token comes within a minute
            assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
            assertThat(r.headers().firstValue("ratelimit-limit")).hasValue("5");
            assertThat(r.headers().firstValue("ratelimit-remaining")).hasValue("0");
            assertThat(Long.parseLong(r.headers().firstValue("ratelimit-reset").orElseThrow())).isBetween(1L, 300L);
        });
        assertThat(passed).allSatisfy(r -> assertThat(r.headers().firstValue("ratelimit-limit")).hasValue("5"));
        assertThat(passed.stream().map(r -> r.headers().firstValue("ratelimit-remaining").orElseThrow()).sorted().toList())
                .containsExactly("0", "1", "2", "3", "4");
        for (HttpResponse<String> r : passed) gateway.accessLine(r); // every line is written
        for (HttpResponse<String> r : limited) gateway.accessLine(r);
        long upstreamCalls = gateway.accessLines().stream().map(TinyJson::object)
                .filter(l -> "login".equals(l.get("route")) && l.get("target") != null).count();
        assertThat(upstreamCalls).as("only the allowed requests reached the upstream").isEqualTo(5);

        assertThat(get(gateway, "/other").statusCode()).as("per-route: another route has its own bucket").isEqualTo(200);
        assertThat(get(gateway, "/open").headers().firstValue("ratelimit-limit")).as("an unlimited route").isEmpty();
        assertThat(get(gateway, "/shared/a").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/shared/b").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/shared/a").statusCode()).as("a global policy: one bucket for both routes")
                .isEqualTo(429);
    }

    @Test
    void bucketsArePerUserAndPerHeaderValue() throws Exception {
        InProcessGateway gateway = gateway("store: memory", "");
        String alice = token("alice");
        for (int i = 0; i < 2; i++) {
            assertThat(get(gateway, "/me", "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
        }
        assertThat(get(gateway, "/me", "Authorization", "Bearer " + alice).statusCode()).isEqualTo(429);
        assertThat(get(gateway, "/me", "Authorization", "Bearer " + token("bob")).statusCode())
                .as("bob has his own bucket, same ip").isEqualTo(200);
        assertThat(get(gateway, "/me").statusCode()).as("no token: 401 before any limit").isEqualTo(401);

        assertThat(get(gateway, "/keyed", "X-Api-Key", "k1").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/keyed", "X-Api-Key", "k1").statusCode()).isEqualTo(429);
        assertThat(get(gateway, "/keyed", "X-Api-Key", "k2").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/keyed").statusCode()).as("no key: counted by ip").isEqualTo(200);
        assertThat(get(gateway, "/keyed").statusCode()).isEqualTo(429);
    }

    @Test
    void xForwardedForFromAnUntrustedPeerIsIgnoredAndFromATrustedOneDecides() throws Exception {
        InProcessGateway untrusted = gateway("store: memory", "");
        for (int i = 0; i < 5; i++) {
            assertThat(get(untrusted, "/login", "X-Forwarded-For", "198.51.100." + i).statusCode()).isEqualTo(200);
        }
        assertThat(get(untrusted, "/login", "X-Forwarded-For", "198.51.100.77").statusCode())
                .as("rotating a spoofed header does not escape the limit").isEqualTo(429);
        resources.close();
        start();

        InProcessGateway trusted = gateway("store: memory", "client-ip: { trusted-proxies: [ 127.0.0.1/32 ] }");
        for (int i = 0; i < 5; i++) {
            assertThat(get(trusted, "/login", "X-Forwarded-For", "203.0.113.1").statusCode()).isEqualTo(200);
        }
        assertThat(get(trusted, "/login", "X-Forwarded-For", "203.0.113.1").statusCode()).isEqualTo(429);
        assertThat(get(trusted, "/login", "X-Forwarded-For", "6.6.6.6, 203.0.113.1").statusCode())
                .as("what the client wrote left of the trusted proxy's entry does not count").isEqualTo(429);
        HttpResponse<String> other = get(trusted, "/login", "X-Forwarded-For", "203.0.113.2");
        assertThat(other.statusCode()).as("another client behind the proxy").isEqualTo(200);
        assertThat(trusted.accessLine(other).get("client_ip")).as("the access log names the real client")
                .isEqualTo("203.0.113.2");
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) TinyJson.object(other.body()).get("headers");
        assertThat(seen.get("x-forwarded-for")).as("the peer is appended, as every proxy does")
                .isEqualTo("203.0.113.2, 127.0.0.1");
    }

    @Test
    void aReloadKeepsTheBucketsOfUnchangedPoliciesAndRestartsChangedOnes() throws Exception {
        Path file = config("store: memory", "", POLICIES);
        InProcessGateway gateway = resources.add(InProcessGateway.start(file));
        for (int i = 0; i < 5; i++) get(gateway, "/login");
        for (int i = 0; i < 2; i++) get(gateway, "/shared/a");
        assertThat(get(gateway, "/login").statusCode()).isEqualTo(429);

        config("store: memory", "", POLICIES.replace("shared: { rate: 1/m, burst: 2", "shared: { rate: 1/m, burst: 3"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!gateway.events().contains("reloaded") && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(gateway.events()).contains("reloaded");
        assertThat(get(gateway, "/login").statusCode()).as("per-ip did not change: still empty").isEqualTo(429);
        assertThat(get(gateway, "/shared/a").statusCode()).as("shared changed: a new bucket").isEqualTo(200);
    }

    @Test
    void anUnreachableRedisFailsOpenOrAnswers503AsConfigured() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        InProcessGateway open = gateway("store: redis://127.0.0.1:" + closed + "\n  store-timeout: 200ms", "");
        for (int i = 0; i < 8; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = get(open, "/login");
            assertThat(r.statusCode()).as("fail open").isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(open.events().split("is unavailable", -1)).as("the outage is logged once").hasSize(2);
        assertThat(open.events()).contains("is unavailable").contains("requests pass unlimited");
        resources.close();
        start();

        InProcessGateway deny = gateway("store: redis://127.0.0.1:" + closed + "\n  on-store-failure: deny", "");
        HttpResponse<String> r = get(deny, "/login");
        Problems.assertProblem(r, 503);
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        assertThat(get(deny, "/open").statusCode()).as("unlimited routes do not need the store").isEqualTo(200);
    }
}
