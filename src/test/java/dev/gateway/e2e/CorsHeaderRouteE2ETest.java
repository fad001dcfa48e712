package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route chosen by a header value (`headers: { X-Tenant: acme }`) with its own CORS policy: a browser's preflight
 * names X-Tenant in Access-Control-Request-Headers but never carries its value, so the route's policy must still
 * answer it (otherwise the override can never serve a request that needs a preflight).
 */
class CorsHeaderRouteE2ETest {
    private static final String TENANT = "http://acme.test";

    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        int echo = resources.echo("echo");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1, shutdown-grace: 1s }
                cors: { origins: [ "http://app.test" ] }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: any, path: /t/**, upstream: echo, auth: public }
                  - name: acme
                    path: /t/**
                    headers: { X-Tenant: acme }
                    upstream: echo
                    auth: public
                    cors: { origins: [ "%s" ], methods: [ PUT ], headers: [ X-Tenant ] }
                """.formatted(echo, TENANT));
        gateway = resources.add(InProcessGateway.start(config));
        http = resources.httpClient();
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    @Test
    void preflightNamingTheRoutesHeaderGetsTheRoutesPolicy() throws Exception {
        HttpResponse<String> r = preflight("x-tenant");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly(TENANT);
        assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("PUT");

        HttpResponse<String> actual = http.send(HttpRequest.newBuilder(gateway.uri("/t/x"))
                .method("PUT", HttpRequest.BodyPublishers.noBody()).header("Origin", TENANT)
                .header("X-Tenant", "acme").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().allValues("access-control-allow-origin")).containsExactly(TENANT);
    }

    @Test
    void preflightWithoutTheRoutesHeaderGetsTheOtherRoutesPolicy() throws Exception {
        HttpResponse<String> r = preflight(null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    private static HttpResponse<String> preflight(String requestHeaders) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri("/t/x")).timeout(Duration.ofSeconds(10))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", TENANT).header("Access-Control-Request-Method", "PUT");
        if (requestHeaders != null) b.header("Access-Control-Request-Headers", requestHeaders);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
