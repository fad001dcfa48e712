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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache through the real gateway, against an upstream that counts what reaches it: hit and miss with
 * Age and X-Cache, HEAD from a stored GET, Vary, no-store, private, max-age, the client's no-cache, the Authorization
 * rule, coalescing of concurrent misses, eviction under the size bound, routes never sharing entries, and a reload
 * dropping only the changed route's entries.
 */
class CacheE2ETest {
    @TempDir
    Path dir;
    private ResourceStack resources;
    private HttpClient http;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private int upstream;
    private InProcessGateway gateway;
    private Path config;

    private void origin(ServerRequest req, ServerResponse res) throws Exception {
        String path = req.prologue().uriPath().path();
        int n = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        switch (path.substring(path.lastIndexOf('/') + 1)) {
            case "vary" -> res.header("Vary", "Accept-Language")
                    .send(req.headers().first(io.helidon.http.HeaderNames.ACCEPT_LANGUAGE).orElse("none") + " " + n);
            case "nostore" -> res.header("Cache-Control", "no-store").send("nostore " + n);
            case "private" -> res.header("Cache-Control", "private, max-age=60").send("private " + n);
            case "short" -> res.header("Cache-Control", "max-age=1").send("short " + n);
            case "cookie" -> res.header("Set-Cookie", "s=1").send("cookie " + n);
            case "slow" -> {
                Thread.sleep(300);
                res.send("slow " + n);
            }
            case "missing" -> res.status(404).send("missing " + n);
            case "big" -> res.send(("big " + n + " ").repeat(12_000).substring(0, 60 * 1024));
            default -> res.send(path + " " + n);
        }
    }

    @BeforeEach
    void start() throws Exception {
        resources = new ResourceStack();
        http = resources.httpClient();
        upstream = resources.server(WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.any(this::origin)).build());
        config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml("30s"));
        gateway = resources.add(InProcessGateway.start(config));
    }

    private String yaml(String ttl) {
        return """
                listen: { host: 127.0.0.1 }
                cache: { max-size: 256KiB }
                upstreams:
                  origin: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: c, path: /c/**, upstream: origin, auth: public, strip-prefix: /c,
                      cache: { ttl: %s, max-entry-size: 64KiB } }
                  - { name: d, path: /d/**, upstream: origin, auth: public, strip-prefix: /d, cache: { ttl: 30s } }
                  - { name: shared, path: /shared/**, upstream: origin, auth: public,
                      cache: { ttl: 30s, shared-with-authenticated: true } }
                  - { name: plain, path: /plain/**, upstream: origin, auth: public }
                """.formatted(upstream, ttl);
    }

    @AfterEach
    void stop() {
        resources.close();
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private static String xCache(HttpResponse<String> r) {
        return r.headers().firstValue("x-cache").orElse("none");
    }

    private int hitsOf(String upstreamPath) {
        return hits.getOrDefault(upstreamPath, new AtomicInteger()).get();
    }

    @Test
    void aMissIsStoredAndThenServedWithAgeAndHeadIsAnsweredFromIt() throws Exception {
        HttpResponse<String> miss = get("/c/item");
        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(xCache(miss)).isEqualTo("MISS");
        HttpResponse<String> hit = get("/c/item");
        assertThat(xCache(hit)).isEqualTo("HIT");
        assertThat(hit.body()).isEqualTo(miss.body()).isEqualTo("/item 1");
        assertThat(hit.headers().firstValue("age")).hasValueSatisfying(a -> assertThat(Long.parseLong(a)).isBetween(0L, 2L));
        assertThat(hit.headers().firstValue("x-request-id")).isNotEqualTo(miss.headers().firstValue("x-request-id"));
        assertThat(gateway.accessLine(hit).get("target")).isEqualTo("cache");
        HttpResponse<String> head = send("HEAD", "/c/item");
        assertThat(xCache(head)).isEqualTo("HIT");
        assertThat(head.headers().firstValue("content-length")).hasValue("7");
        assertThat(head.body()).isEmpty();
        assertThat(hitsOf("/item")).isEqualTo(1);

        assertThat(get("/c/missing").statusCode()).isEqualTo(404);
        assertThat(xCache(get("/c/missing"))).as("404 is cacheable").isEqualTo("HIT");
        assertThat(xCache(get("/plain/item"))).as("a route without cache").isEqualTo("none");
        assertThat(get("/c/item?page=2").body()).as("the query is part of the key").isEqualTo("/item 2");
    }

    @Test
    void varyNoStorePrivateSetCookieMaxAgeAndTheClientsNoCacheAreHonoured() throws Exception {
        assertThat(get("/c/vary", "Accept-Language", "de").body()).isEqualTo("de 1");
        assertThat(get("/c/vary", "Accept-Language", "fr").body()).isEqualTo("fr 2");
        HttpResponse<String> de = get("/c/vary", "Accept-Language", "de");
        assertThat(xCache(de)).isEqualTo("HIT");
        assertThat(de.body()).isEqualTo("de 1");
        assertThat(get("/c/vary", "Accept-Language", "fr").body()).isEqualTo("fr 2");

        for (String path : List.of("nostore", "private", "cookie")) {
            get("/c/" + path);
            HttpResponse<String> again = get("/c/" + path);
            assertThat(xCache(again)).as(path).isEqualTo("MISS");
            assertThat(hitsOf("/" + path)).as(path).isEqualTo(2);
        }

        get("/c/short");
        assertThat(xCache(get("/c/short"))).isEqualTo("HIT");
        Thread.sleep(1100);
        assertThat(get("/c/short").body()).as("max-age=1 ran out").isEqualTo("short 2");

        get("/c/fresh");
        HttpResponse<String> refetched = get("/c/fresh", "Cache-Control", "no-cache");
        assertThat(xCache(refetched)).isEqualTo("MISS");
        assertThat(refetched.body()).isEqualTo("/fresh 2");
        assertThat(get("/c/fresh").body()).as("the fresh answer was stored").isEqualTo("/fresh 2");
    }

    @Test
    void requestsWithAuthorizationAreNotCachedUnlessTheRouteSharesWithAuthenticatedClients() throws Exception {
        get("/c/me", "Authorization", "Bearer a");
        HttpResponse<String> second = get("/c/me", "Authorization", "Bearer b");
        assertThat(second.body()).isEqualTo("/me 2");
        assertThat(xCache(get("/c/me"))).as("nor stored for anonymous clients").isEqualTo("MISS");

        get("/shared/doc", "Authorization", "Bearer a");
        HttpResponse<String> shared = get("/shared/doc", "Authorization", "Bearer b");
        assertThat(xCache(shared)).isEqualTo("HIT");
        assertThat(hitsOf("/shared/doc")).isEqualTo(1);
    }

    @Test
    void concurrentMissesForOneKeyMakeOneUpstreamRequest() throws Exception {
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) futures.add(pool.submit(() -> get("/c/slow")));
        }
        for (Future<HttpResponse<String>> f : futures) {
            assertThat(f.get().statusCode()).isEqualTo(200);
            assertThat(f.get().body()).isEqualTo("slow 1");
        }
        assertThat(hitsOf("/slow")).isEqualTo(1);
    }

    @Test
    void theStoreStaysWithinItsSizeAndRoutesNeverShareEntries() throws Exception {
        for (int i = 0; i < 10; i++) get("/c/" + i + "/big");
        assertThat(xCache(get("/c/9/big"))).as("the latest is kept").isEqualTo("HIT");
        assertThat(xCache(get("/c/0/big"))).as("the oldest was evicted").isEqualTo("MISS");

        get("/c/same");
        HttpResponse<String> other = get("/d/same");
        assertThat(xCache(other)).as("another route, same upstream path").isEqualTo("MISS");
        assertThat(other.body()).isEqualTo("/same 2");
    }

    @Test
    void aReloadDropsOnlyTheEntriesOfChangedRoutes() throws Exception {
        get("/c/one");
        get("/d/two");
        Files.writeString(config, yaml("20s"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!gateway.events().contains("reloaded") && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(gateway.events()).contains("reloaded");
        assertThat(xCache(get("/c/one"))).as("route c changed").isEqualTo("MISS");
        assertThat(xCache(get("/d/two"))).as("route d did not").isEqualTo("HIT");
    }
}
