package dev.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.TraceContext;
import org.junit.jupiter.api.Test;

class AccessLogTest {
    private static String millis(long hundredths) {
        LineBuffer b = new LineBuffer(4);
        AccessLog.millis(b, hundredths);
        return new String(b.bytes(), 0, b.size(), StandardCharsets.US_ASCII);
    }

    /** The lines {@code log} wrote once closed, each record having ended {@code 1.23 ms} after it started. */
    private static String[] lines(Exchange... exchanges) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AccessLog log = new AccessLog(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            for (Exchange ex : exchanges) log.record(ex, ex.startNanos() + 1_234_567);
        }
        return bytes.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void durationsAreMillisecondsWithOneOrTwoDecimals() {
        assertThat(millis(0)).isEqualTo("0.0");
        assertThat(millis(7)).isEqualTo("0.07");
        assertThat(millis(12)).isEqualTo("0.12");
        assertThat(millis(350)).isEqualTo("3.5");
        assertThat(millis(700)).isEqualTo("7.0");
        assertThat(millis(123_456_789)).isEqualTo("1234567.89");
        assertThat(millis(-3)).as("a clock that went backwards").isEqualTo("0.0");
    }

    @Test
    void aLineIsOneJsonObjectWithEveryField() {
        TraceContext trace = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        Exchange ex = new Exchange(1_000, 1_764_583_200_007L, "req-1", trace, "10.0.0.1", "POST", "/api/x?q=1");
        ex.route("api", "orders");
        ex.connection("HTTP/2.0", true);
        ex.target("http://127.0.0.1:8081");
        ex.status(201);
        ex.bytesIn(1024);
        ex.bytesOut(-1);
        assertThat(lines(ex)).containsExactly("{\"time\":\"2025-12-01T10:00:00.007Z\",\"request_id\":\"req-1\","
                + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"client_ip\":\"10.0.0.1\",\"method\":\"POST\","
                + "\"path\":\"/api/x?q=1\",\"protocol\":\"HTTP/2.0\",\"tls\":true,\"route\":\"api\","
                + "\"upstream\":\"orders\","
                + "\"target\":\"http://127.0.0.1:8081\",\"status\":201,\"bytes_in\":1024,\"bytes_out\":-1,"
                + "\"duration_ms\":1.23}");
    }

    @Test
    void stringsAreEscapedAndEncodedAsUtf8() {
        TraceContext trace = TraceContext.of(null);
        String path = "/q\"\\\n\r\t\u0001/caf\u00e9/\u20ac/\ud83d\ude00/\ud800x";
        Exchange ex = new Exchange(0, 0, "id", trace, "::1", "GET", path);
        String line = lines(ex)[0];
        assertThat(line).contains("\"path\":\"/q\\\"\\\\\\n\\r\\t\\u0001/caf\u00e9/\u20ac/\ud83d\ude00/?x\"")
                .contains("\"protocol\":\"HTTP/1.1\",\"route\":null,\"upstream\":null,\"target\":null,\"status\":0")
                .doesNotContain("\"tls\"");
    }

    @Test
    void linesKeepTheirOrderAcrossBatches() {
        Exchange[] many = new Exchange[5_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = new Exchange(0, 0, "r" + i, TraceContext.of(null), "10.0.0.1", "GET", "/" + "x".repeat(100));
        }
        String[] lines = lines(many);
        assertThat(lines).hasSize(many.length);
        for (int i = 0; i < lines.length; i++) assertThat(lines[i]).contains("\"request_id\":\"r" + i + "\"");
    }
}
