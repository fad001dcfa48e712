package dev.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gateway.pipeline.Exchange;
import dev.gateway.pipeline.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The last step of a route: picks the target, sends the request upstream with its body streamed, and streams
 * the response back. Maps failures to 502/504/413 problems. Built once per route; thread-safe.
 */
public final class ProxyStage {
    private static final int BUFFER = 16 * 1024;

    private final String upstreamName;
    private final TargetResolver resolver;
    private final UpstreamClient client;
    private final PathRewrite rewrite;
    private final long maxBodySize;
    private final HeaderStrip strip;
    private final List<String> ownedPrefixes;

    /**
     * {@code strip}: request headers never sent upstream; {@code ownedPrefixes}: lower-case prefixes of response
     * headers the gateway sets itself on this route ({@code access-control-} where it answers CORS,
     * {@code ratelimit-} where it limits), so the upstream's own would contradict them and are dropped.
     */
    public ProxyStage(String upstreamName, TargetResolver resolver, UpstreamClient client, PathRewrite rewrite,
                      long maxBodySize, HeaderStrip strip, List<String> ownedPrefixes) {
        this.upstreamName = upstreamName;
        this.resolver = resolver;
        this.client = client;
        this.rewrite = rewrite;
        this.maxBodySize = maxBodySize;
        this.strip = strip;
        this.ownedPrefixes = List.copyOf(ownedPrefixes);
    }

    public String upstreamName() {
        return upstreamName;
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
        Target target;
        try {
            target = resolver.resolve(variables);
        } catch (TargetResolver.InvalidTargetException e) {
            Problem.send(res, ex, 400, e.getMessage());
            return;
        }
        String method = req.prologue().method().text();
        String query = req.query().rawValue();
        String upstreamPath = rewrite.apply(path, variables, rest);
        String pathAndQuery = query == null || query.isEmpty() ? upstreamPath : upstreamPath + "?" + query;
        List<Map.Entry<String, String>> headers = ForwardedHeaders.upstream(req.headers(), ex.peerIp(), ex.requestId(),
                strip, identity);
        ClientBodyStream body = hasBody ? new ClientBodyStream(req.content().inputStream(), maxBodySize) : null;

        Guard guard = resolver.guard();
        if (guard.bulkhead() != null && !guard.bulkhead().tryAcquire()) {
            ex.target(target.origin().toString());
            Problem.send(res, ex, 503, "upstream '" + upstreamName + "' is at its limit of " + guard.maxConcurrent()
                    + " concurrent requests");
            return;
        }
        try {
            GuardedCall.Outcome outcome;
            try {
                outcome = new GuardedCall(guard, resolver, client, method, body).send(variables, target,
                        t -> timeout -> new UpstreamRequest(method, t.origin(), pathAndQuery, headers, body, declared,
                                timeout), upstreamName);
            } catch (TargetResolver.InvalidTargetException e) {
                Problem.send(res, ex, 400, e.getMessage());
                return;
            }
            if (body != null) ex.bytesIn(body.count());
            switch (outcome) {
                case GuardedCall.Outcome.Answered answered -> {
                    ex.target(answered.target().origin().toString());
                    try {
                        relay(req, res, ex, answered.response());
                    } finally {
                        answered.target().end();
                    }
                }
                case GuardedCall.Outcome.Failed failed -> {
                    ex.target(target.origin().toString());
                    fail(res, ex, failed.failure());
                }
                case GuardedCall.Outcome.Refused refused -> {
                    if (refused.retryAfterSeconds() > 0) {
                        res.header(HeaderNames.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
                    }
                    Problem.send(res, ex, refused.status(), refused.detail());
                }
            }
        } finally {
            if (guard.bulkhead() != null) guard.bulkhead().release();
        }
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

    private void relay(ServerRequest req, ServerResponse res, Exchange ex, UpstreamResponse response) {
        int status = response.status();
        res.status(Status.create(status));
        ex.status(status);
        List<String> connectionValues = new ArrayList<>(1);
        List<String> declaredLength = new ArrayList<>(1);
        response.forEachHeader((name, value) -> {
            if (name.equalsIgnoreCase("connection")) connectionValues.add(value);
            if (name.equalsIgnoreCase("content-length")) declaredLength.add(value);
        });
        Set<String> named = connectionValues.isEmpty() ? Set.of() : ForwardedHeaders.tokens(connectionValues);
        response.forEachHeader((name, value) -> {
            if (ForwardedHeaders.passesDown(name, named, ownedPrefixes)) res.headers().add(HeaderValues.create(name, value));
        });
        res.header(Problem.X_REQUEST_ID, ex.requestId());
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
            return;
        }
        long length = response.contentLength();
        if (length >= 0) res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length));
        stream(in, res, ex, response);
    }

    private static boolean bodyAllowedFor(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    private static void stream(InputStream in, ServerResponse res, Exchange ex, UpstreamResponse response) {
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
