package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key hot-reload guarantee, through the real CLI: while clients send requests continuously, the config file is
 * rewritten 24 times (valid and invalid versions, in place and editor-style via rename). No request fails, every
 * valid version takes effect, no invalid one does, and each invalid one is reported with file:line:column. Also:
 * a constantly changing file beside the config (a log) does not keep reloads from happening.
 */
class HotReloadUnderLoadE2ETest {
    private static final int WRITES = 24;
    private static final int CLIENTS = 4;
    private static final Duration TAKE_EFFECT = Duration.ofSeconds(5);
    private static final Pattern VERSION = Pattern.compile("^/v(\\d+)/ping$");
    private static final Pattern LOCATED_ERROR = Pattern.compile("\\S*gateway\\.yaml:(\\d+):(\\d+): error: (.*)");

    @TempDir
    Path dir;

    /** The ways a version can be broken; each knows the 1-based line its error is on, or 0 when any line will do. */
    private enum Broken {
        UNKNOWN_KEY(7, "timeoutt"), UNKNOWN_UPSTREAM(10, "echoo"), YAML_SYNTAX(0, ""), BAD_DURATION(6, "timeout");

        final int line;
        final String mentions;

        Broken(int line, String mentions) {
            this.line = line;
            this.mentions = mentions;
        }
    }

    private static String config(int version, int echoPort, Broken broken) {
        List<String> lines = new ArrayList<>(List.of(
                "# version " + version,
                "listen: { host: 127.0.0.1, shutdown-grace: 5s }",
                "upstreams:",
                "  echo:",
                "    targets: [ \"http://127.0.0.1:" + echoPort + "\" ]",
                // alternate the timeout so half the reloads replace the upstream's pool and retire the old one
                "    timeout: " + (10 + version % 2) + "s",
                "routes:",
                "  - name: versioned",
                "    path: /app/**",
                "    upstream: echo",
                "    rewrite: /v" + version + "/{**}",
                "    auth: public"));
        if (broken != null) {
            switch (broken) {
                case UNKNOWN_KEY -> lines.add(6, "    timeoutt: 3s");
                case UNKNOWN_UPSTREAM -> lines.set(9, "    upstream: echoo");
                case YAML_SYNTAX -> lines.set(4, "    targets: [ \"http://127.0.0.1:" + echoPort + "\"");
                case BAD_DURATION -> lines.set(5, "    timeout: soon");
            }
        }
        return String.join("\n", lines) + "\n";
    }

    @Test
    void everyValidVersionTakesEffectAndNoRequestFails() throws Exception {
        try (ResourceStack resources = new ResourceStack()) {
            int echo = resources.echo("echo");
            Path file = Files.createDirectories(dir.resolve("conf")).resolve("gateway.yaml");
            Files.writeString(file, config(0, echo, null));
            Path accessLog = Files.createDirectories(dir.resolve("logs")).resolve("access.log");
            GatewayProcess.Serving serving = resources.add(GatewayProcess.serve(file, accessLog));
            GatewayProcess gateway = serving.process();
            URI uri = URI.create("http://127.0.0.1:" + serving.port() + "/app/ping");
            HttpClient http = resources.httpClient();

            Map<Integer, Long> firstSeen = new ConcurrentHashMap<>();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong requests = new AtomicLong();
            int checks = 0; // requests the test itself sends besides the clients
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                            requests.incrementAndGet();
                            Matcher m = r.statusCode() == 200
                                    ? VERSION.matcher((String) TinyJson.object(r.body()).get("path")) : null;
                            if (m == null || !m.matches()) {
                                failures.add(r.statusCode() + " " + r.body());
                                continue;
                            }
                            firstSeen.putIfAbsent(Integer.parseInt(m.group(1)), System.nanoTime());
                        } catch (Exception e) {
                            requests.incrementAndGet();
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            try {
                Runnable diagnose = () -> System.err.println("requests " + requests.get() + ", failures "
                        + failures + "\ngateway stderr:\n" + gateway.stderrText());
                awaitVersion(firstSeen, 0, System.nanoTime(), diagnose);
                int lastValid = 0;
                List<Integer> invalid = new ArrayList<>();
                for (int version = 1; version <= WRITES; version++) {
                    boolean valid = version % 2 == 1;
                    boolean editorStyle = version % 4 >= 2; // valid: 3, 7, ...; invalid: 2, 6, ...
                    Broken broken = valid ? null : Broken.values()[(version / 2 - 1) % Broken.values().length];
                    int mark = gateway.stderr().size();
                    long written = System.nanoTime();
                    write(file, config(version, echo, broken), editorStyle);
                    if (valid) {
                        long seen = awaitVersion(firstSeen, version, written, diagnose);
                        assertThat(seen).as("version %d seen after it was written", version).isGreaterThan(written);
                        lastValid = version;
                    } else {
                        invalid.add(version);
                        assertRejectedWithLocation(gateway, mark, broken, version);
                        // the rejected save changed nothing: a fresh request still sees the last valid version
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofString());
                        checks++;
                        assertThat(TinyJson.object(r.body()).get("path")).isEqualTo("/v" + lastValid + "/ping");
                    }
                }
                // give a late (wrong) reload every chance to show up before the final checks
                Thread.sleep(1500);
                HttpResponse<String> last = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                checks++;
                assertThat(TinyJson.object(last.body()).get("path")).isEqualTo("/v" + lastValid + "/ping");
                assertThat(firstSeen.keySet()).as("no invalid version ever served").doesNotContainAnyElementsOf(invalid);
            } finally {
                running.set(false);
                for (Thread t : clients) t.join(60_000);
            }
            assertThat(failures).as("failed requests out of %d", requests.get()).isEmpty();
            assertThat(requests.get()).as("requests sent while reloading").isGreaterThan(WRITES * 10L);
            assertThat(firstSeen.keySet()).hasSize(WRITES / 2 + 1);
            gateway.sigterm();
            assertThat(gateway.waitForExit(Duration.ofSeconds(30))).isZero();
            // stdout is the access log: one JSON line per request, nothing else
            List<String> lines = gateway.stdoutLines();
            assertThat(lines).hasSize((int) requests.get() + checks);
            assertThat(lines).allSatisfy(l -> assertThat(TinyJson.object(l)).containsEntry("status", 200L)
                    .containsEntry("route", "versioned").containsEntry("path", "/app/ping"));
        }
    }

    @Test
    void aBusyFileBesideTheConfigDoesNotHoldReloadsOff() throws Exception {
        try (ResourceStack resources = new ResourceStack()) {
            int echo = resources.echo("echo");
            Path file = dir.resolve("gateway.yaml");
            Files.writeString(file, config(0, echo, null));
            InProcessGateway gateway = resources.add(InProcessGateway.start(file));
            HttpClient http = resources.httpClient();
            AtomicBoolean running = new AtomicBoolean(true);
            Path log = dir.resolve("busy.log");
            Thread writer = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        Files.writeString(log, "line\n", java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.APPEND);
                        Thread.sleep(10);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            resources.add(() -> {
                running.set(false);
                writer.join(10_000);
            });
            for (int version = 1; version <= 2; version++) {
                write(file, config(version, echo, null), version == 2);
                long deadline = System.nanoTime() + TAKE_EFFECT.toNanos();
                String path;
                do {
                    Thread.sleep(20);
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.uri("/app/ping")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    path = (String) TinyJson.object(r.body()).get("path");
                } while (!path.equals("/v" + version + "/ping") && System.nanoTime() < deadline);
                assertThat(path).as("served while a file beside the config changes every 10ms; events:\n%s",
                        gateway.events()).isEqualTo("/v" + version + "/ping");
            }
        }
    }

    /** Rewrites the file in place, or as editors do: write a temporary file beside it, then rename over it. */
    private static void write(Path file, String content, boolean editorStyle) throws Exception {
        if (!editorStyle) {
            Files.writeString(file, content);
            return;
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".swp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long awaitVersion(Map<Integer, Long> firstSeen, int version, long written, Runnable diagnose)
            throws Exception {
        long deadline = written + TAKE_EFFECT.toNanos();
        while (!firstSeen.containsKey(version)) {
            if (System.nanoTime() > deadline) {
                diagnose.run();
                throw new AssertionError("version " + version + " not served within " + TAKE_EFFECT + " (seen: "
                        + firstSeen.keySet() + ")");
            }
            Thread.sleep(10);
        }
        return firstSeen.get(version);
    }

    private static void assertRejectedWithLocation(GatewayProcess gateway, int mark, Broken broken, int version)
            throws Exception {
        gateway.awaitStderr(l -> l.contains("rejected"), mark, TAKE_EFFECT);
        String located = gateway.awaitStderr(l -> LOCATED_ERROR.matcher(l).find(), mark, TAKE_EFFECT);
        List<String> errors = gateway.stderr().subList(mark, gateway.stderr().size()).stream()
                .filter(l -> LOCATED_ERROR.matcher(l).find()).toList();
        assertThat(errors).as("located errors for version %d (%s)", version, broken).isNotEmpty();
        if (broken.line > 0) {
            assertThat(errors).as("an error on line %d mentioning '%s'", broken.line, broken.mentions)
                    .anySatisfy(l -> {
                        Matcher m = LOCATED_ERROR.matcher(l);
                        assertThat(m.find()).isTrue();
                        assertThat(Integer.parseInt(m.group(1))).isEqualTo(broken.line);
                        assertThat(Integer.parseInt(m.group(2))).isPositive();
                        assertThat(m.group(3)).contains(broken.mentions);
                    });
        }
        assertThat(located).doesNotContain("Exception");
    }
}
