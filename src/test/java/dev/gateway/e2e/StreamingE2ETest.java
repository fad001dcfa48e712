package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies larger than this JVM's heap (surefire runs it with -Xmx256m) pass through the in-process gateway in both
 * directions, generated and counted on the fly, so any buffering of a whole body would fail with OOM.
 */
class StreamingE2ETest {
    private static final long BIG = 512L << 20;
    private static final String BOUNDARY = "gateway-e2e-boundary";

    @TempDir
    static Path dir;

    private static final ResourceStack resources = new ResourceStack();
    private static InProcessGateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("the test JVM's heap limit must be below the body size")
                .isLessThan(BIG);
        int echo = resources.echo("echo");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                listen: { host: 127.0.0.1, shutdown-grace: 2s, max-body-size: 1MiB }
                upstreams:
                  echo: { targets: [ "http://127.0.0.1:%d" ], timeout: 60s }
                routes:
                  - name: files
                    path: /files/**
                    upstream: echo
                    auth: public
                    strip-prefix: /files
                    max-body-size: 2GiB
                """.formatted(echo));
        gateway = resources.add(InProcessGateway.start(config));
        http = resources.httpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        resources.close();
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
