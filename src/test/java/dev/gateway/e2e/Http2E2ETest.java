package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 on the plain listener (h2c: Upgrade from HTTP/1.1, and prior knowledge) and on HTTPS (h2 by ALPN), with the
 * JDK client, curl and h2load: routing, bodies both ways, refusals as problem+json, the access log's protocol; and
 * {@code http2: false} keeping a listener on HTTP/1.1.
 */
class Http2E2ETest {
    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway plain;
    private static InProcessGateway https;
    private static InProcessGateway http1Only;
    private static TestCerts certs;

    @BeforeAll
    static void start() throws Exception {
        int echo = resources.echo("echo");
        certs = new TestCerts(dir);
        certs.leaf("server", 30, "localhost", "127.0.0.1");
        String routes = """
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: api, path: /api/**, upstream: echo, auth: public }
                """.formatted(echo);
        plain = start("plain.yaml", "listen: { host: 127.0.0.1, shutdown-grace: 1s }\n" + routes);
        https = start("https.yaml", """
                listen:
                  host: 127.0.0.1
                  shutdown-grace: 1s
                  tls: { certificates: [ { cert: server.pem, key: server.key } ] }
                """ + routes);
        http1Only = start("http1.yaml", "listen: { host: 127.0.0.1, shutdown-grace: 1s, http2: false }\n" + routes);
    }

    private static InProcessGateway start(String name, String yaml) throws Exception {
        Path config = dir.resolve(name);
        Files.writeString(config, yaml);
        return resources.add(InProcessGateway.start(config));
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    private static HttpClient h2(boolean tls) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5));
        if (tls) b.sslContext(certs.client(null));
        return resources.add(b.build());
    }

    @Test
    void h2cByUpgradeServesRoutesBodiesAndRefusals() throws Exception {
        HttpClient client = h2(false);
        // the JDK client upgrades on its first request, then speaks HTTP/2 on the connection
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(plain.uri("/api/up?i=" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(TinyJson.object(r.body()).get("path")).isEqualTo("/api/up");
            if (i > 0) assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
        HttpResponse<String> notFound = client.send(HttpRequest.newBuilder(plain.uri("/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(TinyJson.object(notFound.body()).get("request_id"))
                .isEqualTo(notFound.headers().firstValue("x-request-id").orElseThrow());
        assertThat(plain.accessLine(notFound).get("protocol")).isEqualTo("HTTP/2.0");
    }

    @Test
    void h2StreamsLargeBodiesBothWaysIntact() throws Exception {
        for (InProcessGateway g : List.of(plain, https)) {
            HttpClient client = h2(g == https);
            String base = (g == https ? "https" : "http") + "://127.0.0.1:" + g.port();
            // the JDK client upgrades to h2c only on a request without a body: make the connection h2 first
            client.send(HttpRequest.newBuilder(URI.create(base + "/api/first")).build(),
                    HttpResponse.BodyHandlers.discarding());
            byte[] upload = new byte[8 << 20];
            for (int i = 0; i < upload.length; i++) upload[i] = (byte) i;
            HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(base + "/api/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(up.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(TinyJson.object(up.body()).get("body_bytes")).isEqualTo((long) upload.length);
            HttpResponse<byte[]> down = client.send(HttpRequest.newBuilder(URI.create(base + "/api/down?bytes="
                    + (6 << 20))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(down.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(down.body()).hasSize(6 << 20);
        }
    }

    @Test
    void curlSpeaksH2OnBothListenersByPriorKnowledgeAndAlpn() throws Exception {
        assertThat(curl("--http2-prior-knowledge", plain.uri("/api/prior").toString())).isEqualTo("200 2");
        assertThat(curl("--http2", "--cacert", certs.ca().toString(),
                "https://127.0.0.1:" + https.port() + "/api/alpn")).isEqualTo("200 2");
        assertThat(curl("--http1.1", "--cacert", certs.ca().toString(),
                "https://127.0.0.1:" + https.port() + "/api/alpn")).isEqualTo("200 1.1");
        // with http2: false the listener stays on HTTP/1.1 whatever the client tries
        assertThat(curl("--http2", http1Only.uri("/api/no-h2").toString())).isEqualTo("200 1.1");
    }

    @Test
    void h2loadCompletesEveryRequestOverH2cAndH2() throws Exception {
        String h2load = Tools.require("h2load", "nghttp2-client");
        for (String uri : List.of(plain.uri("/api/load").toString(), "https://127.0.0.1:" + https.port()
                + "/api/load")) {
            String out = Tools.run(List.of(h2load, "-n", "2000", "-c", "8", "-m", "10", uri), 60);
            assertThat(out).as(out).contains("2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored");
            assertThat(out).contains("status codes: 2000 2xx");
        }
    }

    /** curl's "status http-version" for a GET of {@code args}' URL. */
    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w",
                "%{http_code} %{http_version}", "--max-time", "10"));
        command.addAll(List.of(args));
        return Tools.run(command, 20).strip();
    }
}
