package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies larger than this JVM's heap (surefire runs it with -Xmx256m) pass through the in-process gateway in both
 * directions, generated and counted on the fly, so any buffering of a whole body would fail with OOM; and a body
 * the upstream sends piece by piece reaches the client piece by piece.
 */
class StreamingE2ETest {
    private static final long BIG = 512L << 20;
    private static final String BOUNDARY = "gateway-e2e-boundary";

    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway gateway;
    private static HttpClient http;
    private static ServerSocket eventSource;
    /** Counted down once the client has the first event; the event source sends the rest only then (or after 5 s). */
    private static final CountDownLatch firstEventArrived = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("the test JVM's heap limit must be below the body size")
                .isLessThan(BIG);
        int echo = resources.echo("echo");
        eventSource = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("event-source").start(StreamingE2ETest::serveEvents);
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1, shutdown-grace: 2s, max-body-size: 1MiB }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ], timeout: 60s }
                  events: { targets: [ "http://127.0.0.1:%d" ], timeout: 10s }
                routes:
                  - name: files
                    path: /files/**
                    upstream: echo
                    auth: public
                    strip-prefix: /files
                    max-body-size: 2GiB
                  - { name: events, path: /events, upstream: events, auth: public }
                """.formatted(echo, eventSource.getLocalPort()));
        gateway = resources.add(InProcessGateway.start(config));
        http = resources.httpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        resources.close();
        eventSource.close();
    }

    /** One server-sent-events response, chunked: the first event, then (once the client has it) the second. */
    private static void serveEvents() {
        try (Socket s = eventSource.accept()) {
            InputStream in = s.getInputStream();
            RawHttp.readUntil(in, "\r\n\r\n"); // the request head
            OutputStream out = s.getOutputStream();
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("data: one\n\n")));
            out.flush();
            firstEventArrived.await(5, TimeUnit.SECONDS);
            out.write(ascii(chunk("data: two\n\n") + "0\r\n\r\n"));
            out.flush();
            in.read(); // until the gateway is done with the connection
        } catch (IOException | InterruptedException e) {
            // the test reports what the client saw
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void eventsReachTheClientAsTheUpstreamSendsThem() throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            client.setSoTimeout(4_000); // under the event source's 5 s: a gateway holding the first event fails here
            client.getOutputStream().write(ascii("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            InputStream in = client.getInputStream();
            String seen = RawHttp.readUntil(in, "data: one\n\n");
            assertThat(seen).startsWith("HTTP/1.1 200").doesNotContain("data: two");
            firstEventArrived.countDown();
            assertThat(RawHttp.readUntil(in, "data: two\n\n")).doesNotContain("data: one");
        }
    }

    @Test
    void aChunkedMultipartUploadLargerThanTheHeapStreamsThrough() throws Exception {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long total = head.length + BIG + tail.length;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.uri("/files/upload"))
                .timeout(Duration.ofMinutes(3))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedBody(head, BIG, tail)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var echoed = TinyJson.object(r.body());
        assertThat(echoed.get("path")).isEqualTo("/upload");
        assertThat(echoed.get("body_bytes")).isEqualTo(total);
        @SuppressWarnings("unchecked")
        var headers = (java.util.Map<String, Object>) echoed.get("headers");
        assertThat((String) headers.get("transfer-encoding")).contains("chunked");
    }

    @Test
    void aDeclaredLengthUploadLargerThanTheHeapStreamsThrough() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.uri("/files/put"))
                .timeout(Duration.ofMinutes(3))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new GeneratedBody(new byte[0], BIG, new byte[0])), BIG))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var echoed = TinyJson.object(r.body());
        assertThat(echoed.get("body_bytes")).isEqualTo(BIG);
        @SuppressWarnings("unchecked")
        var headers = (java.util.Map<String, Object>) echoed.get("headers");
        assertThat(headers.get("content-length")).isEqualTo(Long.toString(BIG));
    }

    @Test
    void aDownloadLargerThanTheHeapStreamsThrough() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(gateway.uri("/files/download?bytes=" + BIG))
                .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long count = 0;
        boolean onlyX = true;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                count += n;
                if (onlyX && n > 0 && (buf[0] != 'x' || buf[n - 1] != 'x')) onlyX = false;
            }
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("content-length")).hasValue(BIG);
        assertThat(count).isEqualTo(BIG);
        assertThat(onlyX).as("the body is the echo's 'x' bytes").isTrue();
    }

    /** {@code head}, then {@code size} generated bytes, then {@code tail}; nothing is held beyond the caller's buffer. */
    private static final class GeneratedBody extends InputStream {
        private static final byte[] PATTERN = new byte[64 * 1024];

        static {
            for (int i = 0; i < PATTERN.length; i++) PATTERN[i] = (byte) ('a' + i % 26);
        }

        private final byte[] head;
        private final byte[] tail;
        private final long total;
        private final long size;
        private long pos;

        GeneratedBody(byte[] head, long size, byte[] tail) {
            this.head = head;
            this.tail = tail;
            this.size = size;
            this.total = head.length + size + tail.length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= total) return -1;
            if (len == 0) return 0;
            int n;
            if (pos < head.length) {
                n = (int) Math.min(len, head.length - pos);
                System.arraycopy(head, (int) pos, b, off, n);
            } else if (pos < head.length + size) {
                n = (int) Math.min(Math.min(len, PATTERN.length), head.length + size - pos);
                System.arraycopy(PATTERN, 0, b, off, n);
            } else {
                int t = (int) (pos - head.length - size);
                n = Math.min(len, tail.length - t);
                System.arraycopy(tail, t, b, off, n);
            }
            pos += n;
            return n;
        }
    }
}
