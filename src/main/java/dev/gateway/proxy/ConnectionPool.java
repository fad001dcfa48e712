package dev.gateway.proxy;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

/**
 * The keep-alive connections to one target: idle ones are reused most recently used first (so a quiet period
 * lets the oldest expire; see {@link IdleStack}), at most {@code max} are open at once, and a connection idle for a while is checked
 * before reuse, since the target may have closed it. Thread-safe.
 */
final class ConnectionPool {
    /** A connection idle longer than this is checked for a close by the target before it is reused. */
    static final long VALIDATE_AFTER_IDLE_NANOS = 1_000_000_000L;
    /** A connection idle longer than this is closed (targets close theirs after 5 to 75 seconds). */
    static final long MAX_IDLE_NANOS = 30_000_000_000L;

    private final URI origin;
    private final int connectMillis;
    private final SSLSocketFactory tls;
    private final int max;
    private final Semaphore slots;
    private final IdleStack idle = new IdleStack();
    /** Every connection open now, idle or leased: what the watchdog looks at (it changes only on connect and close). */
    private final Set<UpstreamConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ConnectionPool(URI origin, int max, int connectMillis, SSLSocketFactory tls) {
        this.tls = tls;
        this.origin = origin;
        this.connectMillis = connectMillis;
        this.max = max;
        this.slots = new Semaphore(max);
    }

    /** A connection for one request: an idle one that is still good, or a new one. Waits for a free slot. */
    UpstreamConnection lease(long waitNanos) throws IOException, InterruptedException, SlotTimeoutException {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            UpstreamConnection c = idle.pop();
            if (c != null) {
                long now = System.nanoTime();
                long idleFor = now - c.idleSinceNanos;
                if (idleFor > MAX_IDLE_NANOS || now - c.keepAliveUntilNanos > 0
                        || (idleFor > VALIDATE_AFTER_IDLE_NANOS && c.stale())) {
                    discard(c);
                    continue;
                }
                c.uses++;
                return c;
            }
            // a short wait, then look at the idle ones again: one may have come back meanwhile
            long left = deadline - System.nanoTime();
            if (slots.tryAcquire(Math.max(0, Math.min(left, 20_000_000L)), TimeUnit.NANOSECONDS)) {
                try {
                    UpstreamConnection fresh = UpstreamConnection.open(origin, connectMillis, tls);
                    open.add(fresh);
                    return fresh;
                } catch (IOException | RuntimeException e) {
                    slots.release();
                    throw e;
                }
            }
            if (left <= 0) throw new SlotTimeoutException();
        }
    }

    /** Takes a connection back after its response: pooled when {@code reusable}, else closed. */
    void release(UpstreamConnection c, boolean reusable) {
        if (!c.unwatch() || !reusable || closed || c.hasBufferedBytes()) {
            discard(c);
            return;
        }
        c.idleSinceNanos = System.nanoTime();
        idle.push(c);
        if (closed) close(); // close() ran meanwhile: it may not have seen this one
    }

    void discard(UpstreamConnection c) {
        c.unwatch();
        c.close();
        if (open.remove(c)) slots.release();
    }

    /** Closes the connections whose wait for data has outlasted its deadline (their reads then fail as timeouts). */
    void expire(long now) {
        for (UpstreamConnection c : open) c.expire(now);
    }

    boolean hasOpen() {
        return !open.isEmpty();
    }

    /**
     * Closes connections idle longer than {@link #MAX_IDLE_NANOS}: takes the stack, and puts the younger ones back in
     * their order (a request meanwhile just finds fewer idle connections, or opens one).
     */
    void sweep() {
        long now = System.nanoTime();
        List<UpstreamConnection> all = idle.takeAll();
        for (int i = all.size() - 1; i >= 0; i--) { // oldest first, so the most recent ends on top again
            UpstreamConnection c = all.get(i);
            if (now - c.idleSinceNanos > MAX_IDLE_NANOS) {
                discard(c);
            } else {
                idle.push(c);
            }
        }
        if (closed) close();
    }

    /** Whether nothing is open or leased (the pool of a templated target may then be dropped). */
    boolean unused() {
        return idle.isEmpty() && slots.availablePermits() == max;
    }

    void close() {
        closed = true;
        for (UpstreamConnection c : idle.takeAll()) discard(c);
    }

    /** No connection became free within the wait. */
    static final class SlotTimeoutException extends Exception {
        SlotTimeoutException() {
            super(null, null, false, false);
        }
    }
}
