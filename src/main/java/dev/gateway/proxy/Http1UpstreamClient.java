package dev.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import javax.net.ssl.SSLSocketFactory;

/**
 * {@link UpstreamClient} written for the gateway on plain blocking sockets (cheap on virtual threads): HTTP/1.1
 * with a keep-alive pool per target, the request head and a small body in one write, response bodies framed by
 * Content-Length or chunked encoding and relayed as they arrive. It replaced Apache HttpClient 5 after profiling
 * showed a third of the proxy's time in that library (exec chain, pool lock, three socket-timeout changes per
 * request); see the commit for the soak it passed. An idempotent body-less request that finds a pooled connection
 * closed by its target is sent once more on a new one. Timeouts are enforced by one watchdog thread per client that
 * looks at the open connections' deadlines every {@value #WATCH_MILLIS} ms, so they fire up to that much late.
 * Thread-safe.
 */
public final class Http1UpstreamClient implements UpstreamClient {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    private static final long SWEEP_NANOS = 5_000_000_000L;
    static final int WATCH_MILLIS = 10;
    /** How often the watchdog looks when no connection is open (a new one has no deadline before its first wait). */
    private static final int QUIET_MILLIS = 100;

    private final int connectMillis;
    private final long timeoutNanos;
    private final int maxPerTarget;
    private final SSLSocketFactory tls;
    private final Map<URI, ConnectionPool> pools = new ConcurrentHashMap<>();
    private final Thread watchdog;
    private volatile boolean closed;

    /**
     * {@code timeout}: the default wait for response headers, and the longest silence inside a body. https targets
     * are trusted by the JVM's default trust store.
     */
    public Http1UpstreamClient(Duration connectTimeout, Duration timeout, int maxConnectionsPerTarget) {
        this(connectTimeout, timeout, maxConnectionsPerTarget, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** As above, with https targets trusted as {@code tls} says (tests bring their own certificate authority). */
    Http1UpstreamClient(Duration connectTimeout, Duration timeout, int maxConnectionsPerTarget, SSLSocketFactory tls) {
        this.tls = tls;
        this.connectMillis = millis(connectTimeout);
        this.timeoutNanos = timeout.toNanos();
        this.maxPerTarget = maxConnectionsPerTarget;
        this.watchdog = Thread.ofVirtual().name("upstream-watchdog").unstarted(this::watchLoop);
        watchdog.start();
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    @Override
    public UpstreamResponse send(UpstreamRequest request) throws UpstreamFailure {
        URI origin = request.origin();
        ConnectionPool pool = pools.get(origin);
        if (pool == null) pool = pools.computeIfAbsent(origin, o -> new ConnectionPool(o, maxPerTarget, connectMillis, tls));
        long timeout = request.responseTimeout() == null ? timeoutNanos : request.responseTimeout().toNanos();
        boolean resent = false;
        while (true) {
            UpstreamConnection c;
            try {
                c = pool.lease(connectMillis * 1_000_000L);
            } catch (ConnectionPool.SlotTimeoutException e) {
                throw new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "no free connection to " + origin + " within "
                        + connectMillis + "ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "interrupted waiting for " + origin, e);
            } catch (IOException | RuntimeException e) {
                throw connectFailure(origin, e);
            }
            try {
                c.begin(timeout);
                c.writeRequest(request);
                c.watch();
                ResponseHead head = c.readHead(request.method());
                return new Response(pool, c, head);
            } catch (ClientBodyException | BodyTooLargeException e) {
                pool.discard(c);
                throw classify(origin, e);
            } catch (IOException | RuntimeException e) {
                pool.discard(c);
                boolean stale = c.uses > 0 && !c.received() && !(e instanceof SocketTimeoutException);
                if (stale && !resent && request.body() == null && IDEMPOTENT.contains(request.method())) {
                    resent = true;
                    continue;
                }
                throw classify(origin, e);
            }
        }
    }

    private static UpstreamFailure connectFailure(URI origin, Exception e) {
        if (e instanceof SocketTimeoutException) {
            return new UpstreamFailure(UpstreamFailure.Kind.CONNECT, "connect to " + origin + " timed out", e);
        }
        return new UpstreamFailure(UpstreamFailure.Kind.CONNECT, "cannot connect to " + origin + ": " + e.getMessage(), e);
    }

    private static UpstreamFailure classify(URI origin, Exception e) {
        if (e instanceof BodyTooLargeException) {
            return new UpstreamFailure(UpstreamFailure.Kind.BODY_TOO_LARGE, e.getMessage(), e);
        }
        if (e instanceof ClientBodyException) {
            return new UpstreamFailure(UpstreamFailure.Kind.CLIENT_ABORTED, "client stopped sending", e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            return connectFailure(origin, e);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "no response from " + origin + " in time", e);
        }
        return new UpstreamFailure(UpstreamFailure.Kind.PROTOCOL, "bad response from " + origin + ": " + e, e);
    }

    /** Enforces the deadlines of waits for data, and now and then closes connections idle too long. */
    private void watchLoop() {
        long nextSweep = System.nanoTime() + SWEEP_NANOS;
        while (!closed) {
            long now = System.nanoTime();
            boolean open = false;
            for (ConnectionPool pool : pools.values()) {
                if (!pool.hasOpen()) continue;
                open = true;
                pool.expire(now);
            }
            if (now - nextSweep >= 0) {
                nextSweep = now + SWEEP_NANOS;
                pools.forEach((origin, pool) -> {
                    pool.sweep();
                    // a templated upstream makes a pool per host it saw: forget those with nothing open
                    if (pool.unused() && pools.remove(origin, pool)) pool.close();
                });
            }
            try {
                Thread.sleep(open ? WATCH_MILLIS : QUIET_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        pools.values().forEach(ConnectionPool::close);
        pools.clear();
    }

    /** A response whose body streams from its connection; the connection is pooled at the body's end. */
    private static final class Response implements UpstreamResponse {
        private final ConnectionPool pool;
        private final UpstreamConnection connection;
        private final ResponseHead head;
        private final ResponseBody body;
        private boolean released;

        Response(ConnectionPool pool, UpstreamConnection connection, ResponseHead head) {
            this.pool = pool;
            this.connection = connection;
            this.head = head;
            this.body = new ResponseBody(connection, head.length(), head.chunked(), this::ended);
        }

        private void ended() {
            if (released) return;
            released = true;
            if (head.keepAliveMillis() > 0) {
                // a second of margin: the target's clock for the idle time started when it sent the last byte
                connection.keepAliveUntilNanos = System.nanoTime() + Math.max(0, head.keepAliveMillis() - 1000) * 1_000_000L;
            }
            pool.release(connection, head.reusable());
        }

        @Override
        public int status() {
            return head.status();
        }

        @Override
        public void forEachHeader(BiConsumer<String, String> action) {
            List<String> h = head.headers();
            for (int i = 0; i + 1 < h.size(); i += 2) action.accept(h.get(i), h.get(i + 1));
        }

        @Override
        public InputStream body() {
            return head.length() == 0 ? null : body;
        }

        @Override
        public long contentLength() {
            return head.chunked() ? -1 : head.length();
        }

        @Override
        public void abort() {
            if (released) return;
            released = true;
            pool.discard(connection);
        }

        @Override
        public void close() {
            if (!body.finished()) abort(); // the rest of the body is still on the wire: the connection cannot be reused
        }
    }
}
