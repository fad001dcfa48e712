package dev.gateway.proxy;

import java.util.Map;

import dev.gateway.cache.CachedResponse;
import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Problem;
import dev.gateway.pipeline.ResponseHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Answers a request from a stored response, with {@code Age} and {@code X-Cache: HIT}; HEAD gets no body. */
final class CachedReply {
    static final HeaderName X_CACHE = HeaderNames.create("X-Cache");

    private CachedReply() {
    }

    static void send(ServerResponse res, Exchange ex, CachedResponse hit, String method) {
        res.status(Status.create(hit.status()));
        ex.status(hit.status());
        ex.target("cache");
        for (Map.Entry<String, String> h : hit.headers()) ResponseHeaders.add(res.headers(), h.getKey(), h.getValue());
        long age = Math.max(0, (System.nanoTime() - hit.storedAt()) / 1_000_000_000L);
        res.header(HeaderNames.AGE, Long.toString(age));
        res.header(X_CACHE, "HIT");
        res.header(Problem.X_REQUEST_ID, ex.requestId());
        res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(hit.body().length));
        if ("HEAD".equals(method)) {
            res.send();
            return;
        }
        ex.bytesOut(hit.body().length);
        res.send(hit.body());
    }
}
