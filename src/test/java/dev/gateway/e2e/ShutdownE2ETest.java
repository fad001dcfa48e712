package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the real {@code gateway serve}: health turns 503 and new requests get 503 while a request in flight
 * finishes with 200; then the process exits 0. A request that outlives shutdown-grace does not keep it running.
 */
class ShutdownE2ETest {
    @TempDir
    Path dir;

    private final CountDownLatch arrived = new CountDownLatch(1);

    /** A backend that signals when a request reaches it, then answers after ?delay=MS. */
    private int slowBackend(ResourceStack resources) {
        return resources.server(WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.any((req, res) -> {
                    arrived.countDown();
                    try {
                        Thread.sleep(Long.parseLong(req.query().get("delay")));
                    } catch (InterruptedException stopping) {
                        // the test is over and stops this server; answer so Helidon has nothing to complain about
                        try {
                            res.status(503).send();
                        } catch (RuntimeException gone) {
                            // the gateway already closed the connection
                        }
                        return;
                    }
                    res.send("finished");
                })).build());
    }

    private Path config(int slow, int echo, String grace) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                listen: { host: 127.0.0.1, shutdown-grace: %s }
                upstreams:
                  slow: { targets: [ "http://127.0.0.1:%d" ] }
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - name: slow
                    path: /slow/**
                    upstream: slow
                    auth: public
                  - name: api
                    path: /api/**
                    upstream: echo
                    auth: public
                """.formatted(grace, slow, echo));
        return file;
    }

    @Test
    void sigtermDrainsInFlightRequestsThenExitsZero() throws Exception {
        try (ResourceStack resources = new ResourceStack()) {
            Path file = config(slowBackend(resources), resources.echo("echo"), "20s");
            GatewayProcess.Serving serving = resources.add(GatewayProcess.serve(file, dir.resolve("access.log")));
            GatewayProcess gateway = serving.process();
            int port = serving.port();
            HttpClient http = resources.httpClient();
            assertThat(RawHttp.get(port, "/health").status()).isEqualTo(200);

            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow/x?delay=2000"))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(arrived.await(30, TimeUnit.SECONDS)).as("the slow request reached the backend").isTrue();

            gateway.sigterm();
            RawHttp.Response health = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                health = RawHttp.get(port, "/health");
                if (health.status() == 503) break;
                Thread.sleep(5);
            }
            assertThat(health).isNotNull();
            assertThat(health.status()).as("health while draining").isEqualTo(503);
            assertThat(TinyJson.object(health.bodyText()).get("status")).isEqualTo("draining");
            assertThat(inFlight).as("the slow request is still in flight while health says 503").isNotDone();

            RawHttp.Response refused = RawHttp.get(port, "/api/new");
            Problems.assertProblem(refused, 503);
            assertThat(refused.header("connection")).containsIgnoringCase("close");

            HttpResponse<String> finished = inFlight.get(60, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("finished");
            assertThat(gateway.waitForExit(Duration.ofSeconds(30))).isZero();
            assertThat(gateway.stderrText()).contains("draining").doesNotContain("Exception");
            assertThat(gateway.stdoutLines()).anySatisfy(l -> assertThat(l).contains("\"/slow/x\"")
                    .contains("\"status\":200"));
        }
    }

    @Test
    void aRequestOutlivingTheGraceDoesNotKeepTheProcessAlive() throws Exception {
        try (ResourceStack resources = new ResourceStack()) {
            Path file = config(slowBackend(resources), resources.echo("echo"), "500ms");
            GatewayProcess.Serving serving = resources.add(GatewayProcess.serve(file, dir.resolve("access.log")));
            GatewayProcess gateway = serving.process();
            HttpClient http = resources.httpClient();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + serving.port() + "/slow/x?delay=8000"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
            gateway.sigterm();
            assertThat(gateway.waitForExit(Duration.ofSeconds(15))).isZero();
            assertThat(gateway.stderrText()).contains("in flight");
            inFlight.cancel(true);
        }
    }
}
