package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * listen.idle-timeout closes a connection that has had no traffic for that long while others are served, and
 * listen.max-connections makes a connection beyond the limit wait (in the backlog) until one closes, then serves it.
 */
class ConnectionLimitsE2ETest {
    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway idle;
    private static InProcessGateway limited;

    @BeforeAll
    static void start() throws Exception {
        int echo = resources.echo("echo");
        String routes = """
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ] }
                routes:
                  - { name: api, path: /api/**, upstream: echo, auth: public }
                """.formatted(echo);
        idle = resources.add(InProcessGateway.start(Files.writeString(dir.resolve("idle.yaml"),
                "listen: { host: 127.0.0.1, shutdown-grace: 1s, idle-timeout: 2s }\n" + routes)));
        limited = resources.add(InProcessGateway.start(Files.writeString(dir.resolve("limited.yaml"),
                "listen: { host: 127.0.0.1, shutdown-grace: 1s, max-connections: 2 }\n" + routes)));
    }

    @AfterAll
    static void stop() {
        resources.close();
    }

    private static Socket connect(int port, int readTimeoutMillis) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(readTimeoutMillis);
        return s;
    }

    private static int get(Socket s, String path) throws Exception {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return RawHttp.read(s.getInputStream(), false).status();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutWhileBusyAndSlowOnesAreServed() throws Exception {
        try (Socket quiet = connect(idle.port(), 8_000); Socket busy = connect(idle.port(), 8_000);
             Socket slow = connect(idle.port(), 8_000)) {
            assertThat(get(quiet, "/api/quiet")).isEqualTo(200);
            long start = System.nanoTime();
            // a request that takes longer than the idle timeout is not cut: the connection is busy, not idle
            AtomicReference<Object> slowOutcome = new AtomicReference<>();
            Thread slowRequest = Thread.ofVirtual().start(() -> {
                try {
                    slowOutcome.set(get(slow, "/api/slow?delay=3500"));
                } catch (Exception e) {
                    slowOutcome.set(e);
                }
            });
            // the busy one sends a request every 300 ms: never idle for long (Helidon's clock ticks by the second)
            for (int i = 0; i < 15; i++) {
                assertThat(get(busy, "/api/busy")).isEqualTo(200);
                Thread.sleep(300);
            }
            InputStream in = quiet.getInputStream();
            assertThat(in.read()).as("the quiet connection was closed").isEqualTo(-1);
            assertThat(System.nanoTime() - start).isGreaterThan(1_900_000_000L);
            slowRequest.join();
            assertThat(slowOutcome.get()).isEqualTo(200);
            assertThat(get(busy, "/api/still")).isEqualTo(200);
        }
    }

    @Test
    void aConnectionBeyondMaxConnectionsWaitsUntilOneClosesAndIsThenServed() throws Exception {
        try (Socket first = connect(limited.port(), 5_000); Socket second = connect(limited.port(), 5_000)) {
            assertThat(get(first, "/api/1")).isEqualTo(200);
            assertThat(get(second, "/api/2")).isEqualTo(200);
            try (Socket third = connect(limited.port(), 1_000)) {
                // the kernel completed the connect (backlog), but the gateway does not take it while two are open
                assertThatThrownBy(() -> get(third, "/api/3")).isInstanceOf(SocketTimeoutException.class);
                first.close();
                third.setSoTimeout(5_000);
                assertThat(RawHttp.read(third.getInputStream(), false).status()).isEqualTo(200);
            }
            assertThat(get(second, "/api/2-again")).isEqualTo(200);
        }
    }
}
