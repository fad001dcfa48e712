package dev.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.gateway.cache.CachedResponse;
import dev.gateway.cache.RouteCache;

import dev.gateway.observe.UpstreamSeries;
import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Problem;
import dev.gateway.pipeline.ResponseHeaders;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The last step of a route: picks the target, sends the request upstream with its body streamed, and streams
 * the response back, through the route's response cache when it has one (hits answered here, concurrent misses for
 * one key coalesced into one upstream request). Maps failures to 502/503/504/413 problems. Built once per route;
 * thread-safe.
 */
public final class ProxyStage {
    private static final int BUFFER = 16 * 1024;
    /** How long a coalesced miss waits for the one in flight when the upstream has no deadline of its own. */
    private static final Duration FOLLOW_WAIT = Duration.ofSeconds(30);

    private final String upstreamName;
    private final TargetResolver resolver;
    private final UpstreamClient client;
    private final PathRewrite rewrite;
    private final long maxBodySize;
    private final HeaderStrip strip;
    private final List<String> ownedPrefixes;
    private final RouteCache cache;
    private final UpstreamSeries metrics;

    /**
     * {@code strip}: request headers never sent upstream; {@code ownedPrefixes}: lower-case prefixes of response
     * headers the gateway sets itself on this route ({@code access-control-} where it answers CORS,
     * {@code ratelimit-} where it limits), so the upstream's own would contradict them and are dropped;
     * {@code metrics}: the upstream's attempt timings and retries.
     */
    public ProxyStage(String upstreamName, TargetResolver resolver, UpstreamClient client, PathRewrite rewrite,
                      long maxBodySize, HeaderStrip strip, List<String> ownedPrefixes, RouteCache cache,
                      UpstreamSeries metrics) {
        this.metrics = metrics;
        this.upstreamName = upstreamName;
        this.resolver = resolver;
        this.client = client;
        this.rewrite = rewrite;
        this.maxBodySize = maxBodySize;
        this.strip = strip;
        this.ownedPrefixes = List.copyOf(ownedPrefixes);
        this.cache = cache;
    }

    public String upstreamName() {
        return upstreamName;
    }

    /**
     * The upstream side of a WebSocket upgrade on this route: a target from the balancer, the rewritten path with
     * {@code rawQuery}, and the headers to send. Throws when a path variable cannot form the target's host.
     */
    public UpstreamHandshake webSocketHandshake(Headers headers, String rawQuery, Exchange ex, String path,
                                                Map<String, String> variables, String rest,
                                                List<Map.Entry<String, String>> identity)
            throws TargetResolver.InvalidTargetException {
        Target target = resolver.resolve(variables);
        String pathAndQuery = withQuery(rewrite.apply(path, variables, rest), rawQuery);
        URI origin = target.origin();
        String scheme = "https".equalsIgnoreCase(origin.getScheme()) ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + origin.getRawAuthority() + pathAndQuery);
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> h : ForwardedHeaders.upstream(headers, ex, strip,
                identity)) {
            if (!h.getKey().regionMatches(true, 0, "sec-websocket-", 0, 14)) out.add(h);
        }
        return new UpstreamHandshake(uri, origin.toString(), out);
    }

    /** Proxies the request; {@code identity} are the headers the auth stage derived from the token (may be empty). */
    public void handle(ServerRequest req, ServerResponse res, Exchange ex, String path, Map<String, String> variables,
                       String rest, List<Map.Entry<String, String>> identity) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBodySize) {
            Problem.send(res, ex, 413, "request body of " + declared + " bytes is larger than the limit of "
                    + maxBodySize + " bytes");
            return;
        }
        boolean hasBody = declared > 0 || req.headers().contains(HeaderNames.TRANSFER_ENCODING);
        String malformed = malformed(req.prologue().method().text(), req.headers(), hasBody);
        if (malformed != null) {
            Problem.send(res, ex, 400, malformed);
            return;
        }
        String method = req.prologue().method().text();
        Function<String, String> requestHeader = name -> req.headers().first(HeaderNames.create(name)).orElse(null);
        // keyed by what the client asked for: a templated upstream may send two of them to the same upstream path
        String cacheKey = cache == null || hasBody ? null
                : cache.key(method, withQuery(path, req.query().rawValue()), requestHeader);
        boolean leading = false;
        if (cacheKey != null) {
            if (!RouteCache.wantsFresh(requestHeader)) {
                CachedResponse hit = cache.store().get(cacheKey, requestHeader);
                if (hit != null) {
                    CachedReply.send(res, ex, hit, method);
                    return;
                }
            }
            CompletableFuture<CachedResponse> leader = cache.store().follow(cacheKey);
            leading = leader == null;
            if (!leading) {
                CachedResponse shared = await(leader);
                if (shared != null && shared.matches(requestHeader)) {
                    CachedReply.send(res, ex, shared, method);
                    return;
                }
            }
        }
        CachedResponse stored = null;
        try {
            stored = forward(req, res, ex, path, variables, rest, identity, hasBody, declared, cacheKey, requestHeader);
        } finally {
            if (leading) cache.store().finish(cacheKey, stored);
        }
    }

    /**
     * Picks the target, sends the request upstream under the guard and relays the answer; returns what was cached of
     * it, if anything. Runs only when the cache did not answer, so a hit costs no balancer pick or header copy.
     */
    private CachedResponse forward(ServerRequest req, ServerResponse res, Exchange ex, String path,
                                   Map<String, String> variables, String rest, List<Map.Entry<String, String>> identity,
                                   boolean hasBody, long declared, String cacheKey,
                                   Function<String, String> requestHeader) {
        Target target;
        try {
            target = resolver.resolve(variables);
        } catch (TargetResolver.InvalidTargetException e) {
            Problem.send(res, ex, 400, e.getMessage());
            return null;
        }
        String method = req.prologue().method().text();
        String pathAndQuery = withQuery(rewrite.apply(path, variables, rest), req.query().rawValue());
        List<Map.Entry<String, String>> headers = ForwardedHeaders.upstream(req.headers(), ex, strip, identity);
        ClientBodyStream body = hasBody ? new ClientBodyStream(req.content().inputStream(), maxBodySize) : null;
        Guard guard = resolver.guard();
        if (guard.bulkhead() != null && !guard.bulkhead().tryAcquire()) {
            ex.target(target.origin().toString());
            Problem.send(res, ex, 503, "upstream '" + upstreamName + "' is at its limit of " + guard.maxConcurrent()
                    + " concurrent requests");
            return null;
        }
        try {
            GuardedCall.Outcome outcome;
            try {
                outcome = new GuardedCall(guard, resolver, client, method, body, metrics).send(variables, target,
                        t -> timeout -> new UpstreamRequest(method, t.origin(), pathAndQuery, headers, body, declared,
                                timeout), upstreamName);
            } catch (TargetResolver.InvalidTargetException e) {
                Problem.send(res, ex, 400, e.getMessage());
                return null;
            }
            if (body != null) ex.bytesIn(body.count());
            switch (outcome) {
                case GuardedCall.Outcome.Answered answered -> {
                    ex.target(answered.target().origin().toString());
                    try {
                        return relay(req, res, ex, answered.response(), cacheKey, requestHeader);
                    } finally {
                        answered.target().end();
                    }
                }
                case GuardedCall.Outcome.Failed failed -> {
                    ex.target(target.origin().toString());
                    fail(res, ex, failed.failure());
                    return null;
                }
                case GuardedCall.Outcome.Refused refused -> {
                    if (refused.retryAfterSeconds() > 0) {
                        res.header(HeaderNames.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
                    }
                    Problem.send(res, ex, refused.status(), refused.detail());
                    return null;
                }
            }
        } finally {
            if (guard.bulkhead() != null) guard.bulkhead().release();
        }
    }

    /** The response of the miss in flight for the same key, waited for up to the upstream's deadline. */
    private CachedResponse await(CompletableFuture<CachedResponse> leader) {
        Duration wait = resolver.guard().deadline() == null ? FOLLOW_WAIT : resolver.guard().deadline();
        try {
            return leader.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** {@code path} with {@code ?query} when there is a query. */
    private static String withQuery(String path, String query) {
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    /**
     * Why a request breaks a rule of RFC 9110 that the upstream client enforces by refusing to send it (which would
     * otherwise look like a 502 from the upstream), or null when it is fine.
     */
    private static String malformed(String method, Headers headers, boolean hasBody) {
        if (method.equals("OPTIONS") && hasBody && !headers.contains(HeaderNames.CONTENT_TYPE)) {
            return "an OPTIONS request with content must have a Content-Type";
        }
        if (method.equals("TRACE") && (hasBody || headers.contains(HeaderNames.AUTHORIZATION)
                || headers.contains(HeaderNames.COOKIE))) {
            return "a TRACE request must not carry content, Authorization or Cookie";
        }
        return null;
    }

    private void fail(ServerResponse res, Exchange ex, UpstreamFailure f) {
        switch (f.kind()) {
            case CONNECT, PROTOCOL -> Problem.send(res, ex, 502, "upstream '" + upstreamName + "' is unavailable");
            case TIMEOUT -> Problem.send(res, ex, 504, "upstream '" + upstreamName + "' did not answer in time");
            case BODY_TOO_LARGE -> Problem.send(res, ex, 413, "request body is larger than the limit of "
                    + maxBodySize + " bytes");
            case CLIENT_ABORTED -> {
                ex.status(499);
                throw new CloseConnectionException("client stopped sending its request body", f);
            }
        }
    }

    private CachedResponse relay(ServerRequest req, ServerResponse res, Exchange ex, UpstreamResponse response,
                                 String cacheKey, Function<String, String> requestHeader) {
        int status = response.status();
        res.status(Status.create(status));
        ex.status(status);
        List<String> connectionValues = new ArrayList<>(1);
        List<String> declaredLength = new ArrayList<>(1);
        response.forEachHeader((name, value) -> {
            if (name.length() == 10 && name.equalsIgnoreCase("connection")) connectionValues.add(value);
            if (name.length() == 14 && name.equalsIgnoreCase("content-length")) declaredLength.add(value);
        });
        List<String> named = connectionValues.isEmpty() ? List.of() : ForwardedHeaders.tokens(connectionValues);
        // only a cached response needs the headers again
        List<Map.Entry<String, String>> passed = cacheKey == null ? null : new ArrayList<>();
        response.forEachHeader((name, value) -> {
            if (ForwardedHeaders.passesDown(name, named, ownedPrefixes)) {
                ResponseHeaders.add(res.headers(), name, value);
                if (passed != null) passed.add(Map.entry(name, value));
            }
        });
        res.header(HeaderValues.createCached(Problem.X_REQUEST_ID, ex.requestId()));
        boolean getRequest = "GET".equals(req.prologue().method().text());
        RouteCache.Recorder recorder = null;
        if (cacheKey != null) {
            res.header(CachedReply.X_CACHE, "MISS");
            if (getRequest) recorder = cache.record(cacheKey, status, passed, response.contentLength(), requestHeader);
        }
        boolean head = "HEAD".equals(req.prologue().method().text());
        boolean bodyAllowed = bodyAllowedFor(status) && !head;
        InputStream in = response.body();
        if (!bodyAllowed || in == null) {
            response.close();
            // a HEAD answer keeps the length a GET would have had (RFC 9110 9.3.2); Helidon sends no body then
            if (head && bodyAllowedFor(status) && declaredLength.size() == 1) {
                res.header(HeaderNames.CONTENT_LENGTH, declaredLength.getFirst());
            }
            res.send();
            return recorder == null ? null : recorder.complete();
        }
        long length = response.contentLength();
        if (length >= 0 && length <= BUFFER) {
            // a small body of known length goes out in one write, without a streaming output per response
            sendWhole(in, (int) length, res, ex, response, recorder);
        } else {
            if (length >= 0) res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length));
            stream(in, res, ex, response, recorder);
        }
        return recorder == null ? null : recorder.complete();
    }

    private static void sendWhole(InputStream in, int length, ServerResponse res, Exchange ex,
                                  UpstreamResponse response, RouteCache.Recorder recorder) {
        byte[] body;
        try {
            body = in.readNBytes(length);
        } catch (IOException e) {
            response.abort();
            throw new CloseConnectionException("upstream response body failed", e);
        }
        if (body.length < length) {
            response.abort();
            throw new CloseConnectionException("upstream response body ended early", null);
        }
        response.close();
        if (recorder != null) recorder.write(body, 0, body.length);
        ex.bytesOut(body.length);
        try {
            res.send(body);
        } catch (UncheckedIOException e) {
            throw new CloseConnectionException("client went away while receiving the response", e);
        }
    }

    private static boolean bodyAllowedFor(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    private static void stream(InputStream in, ServerResponse res, Exchange ex, UpstreamResponse response,
                               RouteCache.Recorder recorder) {
        byte[] buffer = new byte[BUFFER];
        long sent = 0;
        OutputStream out = res.outputStream();
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    response.abort();
                    throw new CloseConnectionException("upstream response body failed", e);
                }
                if (n < 0) break;
                out.write(buffer, 0, n);
                // what came so far goes on before the next read waits on the target: events and long polls
                // arrive as sent, not when a buffer fills
                if (in.available() == 0) out.flush();
                if (recorder != null) recorder.write(buffer, 0, n);
                sent += n;
            }
            out.close();
            response.close();
        } catch (IOException | UncheckedIOException e) {
            response.abort();
            throw new CloseConnectionException("client went away while receiving the response", e);
        } finally {
            ex.bytesOut(sent);
        }
    }
}
