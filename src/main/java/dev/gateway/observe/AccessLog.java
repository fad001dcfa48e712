package dev.gateway.observe;

import java.io.PrintStream;
import java.time.Instant;

import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Json;

/**
 * Writes one JSON object per finished request (time, request id, trace id, client ip, method, path, route, upstream,
 * target, status, bytes in/out, duration in ms) to a stream, normally stdout. Thread-safe: each line is built
 * off-lock and written whole.
 */
public final class AccessLog {
    private final PrintStream out;

    public AccessLog(PrintStream out) {
        this.out = out;
    }

    public void record(Exchange ex, long endNanos) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":\"").append(Instant.ofEpochMilli(ex.startEpochMillis())).append('"');
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
        out.println(b);
    }
}
