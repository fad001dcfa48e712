package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's own upstream client against a bare server that answers byte for byte what each test writes. */
class Http1UpstreamClientTest {
    private final Http1UpstreamClient client = new Http1UpstreamClient(Duration.ofSeconds(2), Duration.ofSeconds(5), 8);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        client.close();
        for (AutoCloseable c : open) c.close();
    }

    private RawUpstream upstream(RawUpstream.Script script) throws IOException {
        RawUpstream u = new RawUpstream(script);
        open.add(u);
        return u;
    }

    private static UpstreamRequest get(RawUpstream u, String path) {
        return new UpstreamRequest("GET", URI.create(u.origin()), path, List.of(Map.entry("Accept", "*/*")), null, -1,
                null);
    }

    /** Status, headers and the whole body, read as the proxy stage would. */
    private record Read(int status, Map<String, String> headers, String body) {
    }

    private Read send(UpstreamRequest request) throws Exception {
        try (UpstreamResponse r = client.send(request)) {
            Map<String, String> headers = new LinkedHashMap<>();
            r.forEachHeader(headers::put);
            InputStream body = r.body();
            String text = body == null ? null : new String(body.readAllBytes(), StandardCharsets.ISO_8859_1);
            return new Read(r.status(), headers, text);
        }
    }

    @Test
    void fixedLengthAndChunkedBodiesAreReadExactlyAndTheConnectionIsReused() throws Exception {
        RawUpstream u = upstream(r -> RawUpstream.Answer.keep(r.head().startsWith("GET /chunked")
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-A: a\r\n\r\nabc"));
        for (int i = 0; i < 3; i++) {
            assertThat(send(get(u, "/fixed"))).isEqualTo(new Read(200, Map.of("Content-Length", "3", "X-A", "a"), "abc"));
            Read chunked = send(get(u, "/chunked"));
            assertThat(chunked.body()).isEqualTo("hello world");
        }
        assertThat(u.connections()).as("one keep-alive connection carried all six").isEqualTo(1);
        RawUpstream.Received first = u.received.getFirst();
        assertThat(first.head()).startsWith("GET /fixed HTTP/1.1\r\nHost: 127.0.0.1:");
        assertThat(first.header("accept")).isEqualTo("*/*");
    }

    @Test
    void connectionCloseHttp10AndBodiesUntilCloseAreNotReused() throws Exception {
        RawUpstream u = upstream(r -> switch (r.head().substring(4, r.head().indexOf(' ', 4))) {
            case "/close" -> new RawUpstream.Answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", true);
            case "/http10" -> new RawUpstream.Answer("HTTP/1.0 200 OK\r\n\r\nuntil close", true);
            default -> RawUpstream.Answer.keep("HTTP/1.1 204 No Content\r\n\r\n");
        });
        assertThat(send(get(u, "/close")).body()).isEqualTo("ok");
        assertThat(send(get(u, "/http10")).body()).isEqualTo("until close");
        Read empty = send(get(u, "/none"));
        assertThat(empty.status()).isEqualTo(204);
        assertThat(empty.body()).isNull();
        assertThat(send(get(u, "/none")).status()).isEqualTo(204);
        assertThat(u.connections()).isEqualTo(3);
    }

    @Test
    void interimResponsesAreSkippedAndFoldedHeadersJoined() throws Exception {
        RawUpstream u = upstream(r -> RawUpstream.Answer.keep("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
                + "Link: </a.css>\r\n\r\nHTTP/1.1 200\r\nX-Long: one\r\n two\r\nContent-Length: 1\r\n\r\nx"));
        Read r = send(get(u, "/"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("X-Long", "one two").doesNotContainKey("Link");
        assertThat(r.body()).isEqualTo("x");
    }

    @Test
    void aHeadAnswerHasNoBodyEvenWithALength() throws Exception {
        RawUpstream u = upstream(r -> RawUpstream.Answer.keep("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"));
        for (int i = 0; i < 2; i++) {
            Read r = send(new UpstreamRequest("HEAD", URI.create(u.origin()), "/", List.of(), null, -1, null));
            assertThat(r.headers()).containsEntry("Content-Length", "5000");
            assertThat(r.body()).isNull();
        }
        assertThat(u.connections()).isEqualTo(1);
    }

    @Test
    void requestBodiesAreFramedByLengthOrChunkedAndABodilessPostSaysZero() throws Exception {
        RawUpstream u = upstream(r -> RawUpstream.Answer.keep("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        byte[] big = "y".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        send(new UpstreamRequest("POST", URI.create(u.origin()), "/len", List.of(), new ByteArrayInputStream(big),
                big.length, null));
        send(new UpstreamRequest("POST", URI.create(u.origin()), "/chunked", List.of(),
                new ByteArrayInputStream(big), -1, null));
        send(new UpstreamRequest("POST", URI.create(u.origin()), "/empty", List.of(), null, -1, null));
        assertThat(u.received.get(0).body()).isEqualTo(big);
        assertThat(u.received.get(0).header("content-length")).isEqualTo("100000");
        assertThat(u.received.get(1).chunked()).isTrue();
        assertThat(u.received.get(1).body()).isEqualTo(big);
        assertThat(u.received.get(2).header("content-length")).isEqualTo("0");
    }

    @Test
    void aTruncatedBodyFailsInsteadOfEndingQuietly() throws Exception {
        RawUpstream u = upstream(r -> new RawUpstream.Answer(r.head().startsWith("GET /fixed")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"
                : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", true));
        for (String path : List.of("/fixed", "/chunked")) {
            try (UpstreamResponse r = client.send(get(u, path))) {
                assertThatThrownBy(() -> r.body().readAllBytes()).as(path).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void brokenAnswersAreProtocolFailures() throws Exception {
        for (String raw : List.of("HTTP/2 200 OK\r\n\r\n", "garbage\r\n\r\n", "HTTP/1.1 20x OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "")) {
            RawUpstream u = upstream(r -> new RawUpstream.Answer(raw, true));
            assertThatThrownBy(() -> client.send(get(u, "/"))).as(raw).isInstanceOfSatisfying(UpstreamFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.PROTOCOL));
        }
    }

    @Test
    void aPooledConnectionTheTargetClosedIsReplacedForAnIdempotentRequestOnly() throws Exception {
        // answers, then closes without saying so: the pooled connection is dead when the next request comes
        RawUpstream u = upstream(r -> new RawUpstream.Answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true));
        assertThat(send(get(u, "/1")).body()).isEqualTo("ok");
        Thread.sleep(100);
        assertThat(send(get(u, "/2")).body()).as("sent again on a new connection").isEqualTo("ok");
        Thread.sleep(100);
        byte[] body = "data".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> client.send(new UpstreamRequest("POST", URI.create(u.origin()), "/3", List.of(),
                new ByteArrayInputStream(body), body.length, null))).isInstanceOf(UpstreamFailure.class);
    }

    @Test
    void noAnswerInTimeIsATimeoutAndNoListenerIsAConnectFailure() throws Exception {
        RawUpstream u = upstream(r -> {
            Thread.sleep(2_000);
            return RawUpstream.Answer.keep("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(new UpstreamRequest("GET", URI.create(u.origin()), "/", List.of(), null,
                -1, Duration.ofMillis(200)))).isInstanceOfSatisfying(UpstreamFailure.class,
                f -> assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));

        String closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = "http://127.0.0.1:" + s.getLocalPort();
        }
        assertThatThrownBy(() -> client.send(new UpstreamRequest("GET", URI.create(closedPort), "/", List.of(), null,
                -1, null))).isInstanceOfSatisfying(UpstreamFailure.class,
                f -> assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT));
    }

    @Test
    void theTimeoutBoundsEachSilenceInABodyNotTheWholeBody() throws Exception {
        Http1UpstreamClient quick = new Http1UpstreamClient(Duration.ofSeconds(1), Duration.ofMillis(300), 4);
        open.add(quick);
        RawUpstream u = upstream(r -> {
            boolean stall = r.head().startsWith("GET /stall");
            r.out().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 5; i++) {
                r.out().flush();
                Thread.sleep(stall && i == 2 ? 1_500 : 150); // 750 ms in all, but no gap of 300 ms unless stalling
                r.out().write('x');
            }
            r.out().flush();
            return RawUpstream.Answer.keep("");
        });
        try (UpstreamResponse r = quick.send(get(u, "/trickle"))) {
            assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("xxxxx");
        }
        long start = System.nanoTime();
        try (UpstreamResponse r = quick.send(get(u, "/stall"))) {
            assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_200));
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // without the write deadline the send would block for good
    void aTargetThatStopsReadingTheRequestBodyTimesOut() throws Exception {
        Http1UpstreamClient quick = new Http1UpstreamClient(Duration.ofSeconds(1), Duration.ofMillis(300), 4);
        open.add(quick);
        java.net.ServerSocket deaf = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        open.add(deaf);
        List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                accepted.add(deaf.accept()); // and never reads: the client's writes fill the socket buffers, then block
            } catch (IOException ignored) {
                // closed by the test
            }
        });
        long size = 256L << 20;
        InputStream endless = new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'z' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'z');
                left -= n;
                return n;
            }
        };
        long start = System.nanoTime();
        assertThatThrownBy(() -> quick.send(new UpstreamRequest("POST", URI.create("http://127.0.0.1:" + deaf.getLocalPort()),
                "/upload", List.of(), endless, size, null))).isInstanceOfSatisfying(UpstreamFailure.class,
                f -> assertThat(f.kind()).isEqualTo(UpstreamFailure.Kind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        for (java.net.Socket s : accepted) s.close();
    }

    @Test
    void anAbandonedBodyDropsTheConnection() throws Exception {
        RawUpstream u = upstream(r -> RawUpstream.Answer.keep("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef"));
        try (UpstreamResponse r = client.send(get(u, "/"))) {
            assertThat(r.body().read()).isEqualTo('a');
        }
        assertThat(send(get(u, "/")).body()).isEqualTo("abcdef");
        assertThat(u.connections()).as("the half-read connection was not reused").isEqualTo(2);
    }
}
