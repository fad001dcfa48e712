package dev.gateway.observe;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.gateway.pipeline.Exchange;

/**
 * Writes one JSON object per finished request (time, request id, trace id, client ip, method, path, route, upstream,
 * target, status, bytes in/out, duration in ms) to a stream, normally stdout. A request only queues its exchange;
 * a {@link LineWriter} formats the lines and writes them in batches; {@link #close()} writes the last ones.
 * Thread-safe.
 */
public final class AccessLog implements AutoCloseable {
    private final LineWriter<Finished> out;

    /** A request as it ended: its exchange, which nothing changes once it is recorded, and when it ended. */
    private record Finished(Exchange ex, long endNanos) {
    }

    public AccessLog(PrintStream out) {
        this.out = new LineWriter<>(out, "access-log", new LineFormat());
    }

    /** Queues the line of {@code ex}, which must not change afterwards; it ended at {@code endNanos}. */
    public void record(Exchange ex, long endNanos) {
        out.write(new Finished(ex, endNanos));
    }

    @Override
    public void close() {
        out.close();
    }

    /**
     * Hundredths of a millisecond as a JSON number of milliseconds with one or two decimals ({@code 0.12},
     * {@code 3.5}, {@code 7.0}), written with integer arithmetic: formatting a double cost more than the rest of the
     * number's line.
     */
    static void millis(LineBuffer b, long hundredths) {
        long h = Math.max(0, hundredths);
        int fraction = (int) (h % 100);
        b.number(h / 100).ascii('.').number(fraction / 10);
        if (fraction % 10 != 0) b.number(fraction % 10);
    }

    /** Formats the lines on the writer's thread; remembers the last second formatted, which most lines share. */
    private static final class LineFormat implements LineWriter.Format<Finished> {
        private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
                .withZone(ZoneOffset.UTC);
        private long epochSecond = Long.MIN_VALUE;
        private String secondText = "";

        @Override
        public void write(Finished f, LineBuffer b) {
            Exchange ex = f.ex();
            b.ascii("{\"time\":\"");
            time(b, ex.startEpochMillis());
            b.ascii("\",\"request_id\":").jsonString(ex.requestId());
            b.ascii(",\"trace_id\":").jsonString(ex.trace().traceId());
            b.ascii(",\"client_ip\":").jsonString(ex.clientIp());
            b.ascii(",\"method\":").jsonString(ex.method());
            b.ascii(",\"path\":").jsonString(ex.path());
            b.ascii(",\"protocol\":").jsonString(ex.protocol());
            if (ex.secure()) b.ascii(",\"tls\":true");
            b.ascii(",\"route\":").jsonString(ex.route());
            b.ascii(",\"upstream\":").jsonString(ex.upstream());
            b.ascii(",\"target\":").jsonString(ex.target());
            b.ascii(",\"status\":").number(ex.status());
            b.ascii(",\"bytes_in\":").number(ex.bytesIn());
            b.ascii(",\"bytes_out\":").number(ex.bytesOut());
            b.ascii(",\"duration_ms\":");
            millis(b, (f.endNanos() - ex.startNanos()) / 10_000);
            b.ascii('}');
        }

        /** {@code 2026-12-01T10:00:00.123Z}: always three fraction digits, so the lines sort and parse alike. */
        private void time(LineBuffer b, long epochMillis) {
            long second = Math.floorDiv(epochMillis, 1000);
            if (second != epochSecond) {
                epochSecond = second;
                secondText = SECOND.format(Instant.ofEpochSecond(second));
            }
            int millis = (int) Math.floorMod(epochMillis, 1000);
            b.ascii(secondText).ascii('.');
            if (millis < 100) b.ascii('0');
            if (millis < 10) b.ascii('0');
            b.number(millis).ascii('Z');
        }
    }
}
