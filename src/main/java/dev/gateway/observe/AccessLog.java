package dev.gateway.observe;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Json;

/**
 * Writes one JSON object per finished request (time, request id, trace id, client ip, method, path, route, upstream,
 * target, status, bytes in/out, duration in ms) to a stream, normally stdout. Lines are built on the request's thread
 * and written in batches by a {@link LineWriter}; {@link #close()} writes the last ones. Thread-safe.
 */
public final class AccessLog implements AutoCloseable {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** The formatted second of the last line: formatting a time costs more than the rest of a line. */
    private record Second(long epochSecond, String text) {
    }

    private final LineWriter out;
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    public AccessLog(PrintStream out) {
        this.out = new LineWriter(out, "access-log");
    }

    public void record(Exchange ex, long endNanos) {
        StringBuilder b = new StringBuilder(512); // a line is 300-400 characters: no regrowth
        b.append("{\"time\":\"");
        time(b, ex.startEpochMillis());
        b.append('"');
        b.append(",\"request_id\":");
        Json.string(b, ex.requestId());
        b.append(",\"trace_id\":\"").append(ex.trace().traceId()).append('"');
        b.append(",\"client_ip\":");
        Json.string(b, ex.clientIp());
        b.append(",\"method\":");
        Json.string(b, ex.method());
        b.append(",\"path\":");
        Json.string(b, ex.path());
        b.append(",\"route\":");
        Json.string(b, ex.route());
        b.append(",\"upstream\":");
        Json.string(b, ex.upstream());
        b.append(",\"target\":");
        Json.string(b, ex.target());
        b.append(",\"status\":").append(ex.status());
        b.append(",\"bytes_in\":").append(ex.bytesIn());
        b.append(",\"bytes_out\":").append(ex.bytesOut());
        b.append(",\"duration_ms\":").append((endNanos - ex.startNanos()) / 10_000 / 100.0);
        b.append('}');
        out.write(b.toString());
    }

    @Override
    public void close() {
        out.close();
    }

    /** {@code 2026-12-01T10:00:00.123Z}: always three fraction digits, so the lines sort and parse alike. */
    private void time(StringBuilder b, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            s = new Second(epochSecond, SECOND.format(Instant.ofEpochSecond(epochSecond)));
            second = s;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        b.append(s.text()).append('.');
        if (millis < 100) b.append('0');
        if (millis < 10) b.append('0');
        b.append(millis).append('Z');
    }
}
