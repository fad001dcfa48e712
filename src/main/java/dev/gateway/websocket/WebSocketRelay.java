package dev.gateway.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One relayed socket: each side's frames go to the other exactly as they came (FIN bit, opcode and payload; every
 * fragment on its own, pings and pongs included, nothing answered by the gateway), each side read on its own virtual
 * thread and written as fast as the other side takes it. A close frame is passed on with its payload as it was (a
 * code and reason, or none), and the other side's reply goes back the same way. The gateway closes a socket itself
 * for an idle timeout, a removed route or shutdown (1001 both ways), a frame over the route's limit (1009 both
 * ways), a protocol violation (1002 to the side that broke it) or a side that went without closing (1011 to the
 * client, 1001 to the upstream). A side that does not answer a close within {@link #CLOSE_WAIT} is cut. Thread-safe.
 */
final class WebSocketRelay {
    /** How long one side's close reply is awaited before its connection is cut. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String route;
    private final Object routeKey;
    private final long idleNanos;
    private final long maxFrameSize;
    private final LongSupplier nanoTime;
    private final Executor executor;
    private final Consumer<String> log;
    private final Leg upstream;
    private final AtomicBoolean gatewayClosing = new AtomicBoolean();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Leg client;
    private volatile long lastActivity;
    private volatile long drainDeadline;

    WebSocketRelay(String route, Object routeKey, Duration idleTimeout, long maxFrameSize, Wire upstreamWire,
                   RandomGenerator maskKeys, LongSupplier nanoTime, Executor executor, Consumer<String> log) {
        this.route = route;
        this.routeKey = routeKey;
        this.idleNanos = idleTimeout.toNanos();
        this.maxFrameSize = maxFrameSize;
        this.nanoTime = nanoTime;
        this.executor = executor;
        this.log = log;
        this.upstream = new Leg(upstreamWire, new FrameReader(upstreamWire, false, maxFrameSize), maskKeys);
        this.lastActivity = nanoTime.getAsLong();
    }

    Object routeKey() {
        return routeKey;
    }

    /** Completes once both sides are done with. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    boolean idle(long now) {
        return now - lastActivity > idleNanos;
    }

    long drainDeadline() {
        return drainDeadline;
    }

    void drainDeadline(long deadline) {
        this.drainDeadline = deadline;
    }

    /** The client side is switched (its 101 written): the upstream's frames start flowing to it. */
    void start(Wire clientWire) {
        client = new Leg(clientWire, new FrameReader(clientWire, true, maxFrameSize), null);
        executor.execute(() -> pump(upstream, client));
    }

    /** Relays the client's frames on the calling thread (the client connection's) until the client side ends. */
    void runClient() {
        pump(client, upstream);
    }

    /** Drops an upstream side whose client upgrade did not happen after all. */
    void discard() {
        upstream.end();
        upstream.cut();
    }

    /**
     * The gateway ends the socket itself (idle, route removed, shutdown): both sides get {@code code} and are cut if
     * they do not answer in time. Only the first such close counts.
     */
    void gatewayClose(int code, String reason) {
        if (!gatewayClosing.compareAndSet(false, true)) return;
        // off the caller's thread (the sweeper's, or shutdown's): a side that does not read must not hold it up
        Leg c = client;
        executor.execute(() -> sendClose(c, Frame.close(code, reason)));
        executor.execute(() -> sendClose(upstream, Frame.close(code, reason)));
    }

    /** Drops both sides at once (shutdown's grace is over). */
    void abort() {
        Leg c = client;
        if (c != null) c.cut();
        upstream.cut();
    }

    /** Reads {@code from} and relays to {@code to} until {@code from} has closed, broken off or been cut. */
    private void pump(Leg from, Leg to) {
        try {
            while (true) {
                Frame frame;
                try {
                    frame = from.next();
                } catch (FrameException e) {
                    broke(from, to, e);
                    if (e.resumable()) continue;
                    return;
                }
                lastActivity = nanoTime.getAsLong();
                if (frame.opcode() == Frame.CLOSE) {
                    from.closeReceived(frame.payload());
                    // its close goes on as it came; when the other side closed first, this is the reply it awaits
                    // (a reply to the gateway's own close goes nowhere: the other side has the gateway's)
                    if (!from.failed() && !gatewayClosing.get()) sendClose(to, frame);
                    from.awaitCloseSent(CLOSE_WAIT.multipliedBy(2));
                    from.awaitEnd();
                    return;
                }
                if (!from.failed()) send(to, frame);
            }
        } catch (IOException | RuntimeException e) {
            if (from == upstream && from.closeReceived() == null && !from.closeSent()) {
                log.accept("websocket on route '" + route + "': upstream connection failed: " + e);
            }
        } finally {
            ended(from, to);
        }
    }

    /** {@code from} sent a frame the relay cannot pass on: it is told why, and the other side is closed too. */
    private void broke(Leg from, Leg to, FrameException e) {
        from.fail();
        if (e.code() == 1009) {
            sendClose(from, Frame.close(1009, e.getMessage()));
            sendClose(to, Frame.close(1009, e.getMessage()));
        } else {
            if (from == upstream) log.accept("websocket on route '" + route + "': upstream broke the protocol: "
                    + e.getMessage());
            sendClose(from, Frame.close(e.code(), e.getMessage()));
            sendClose(to, from == upstream ? Frame.close(1011, "upstream broke the WebSocket protocol")
                    : Frame.close(1001, "client broke the WebSocket protocol"));
        }
        if (!e.resumable()) from.cut();
    }

    /** {@code from} is done: the other side gets the reply its own close awaits, or is told that {@code from} went. */
    private void ended(Leg from, Leg to) {
        if (!from.end()) return;
        from.cut();
        byte[] awaiting = to.closeReceived();
        if (awaiting != null) {
            sendClose(to, new Frame(true, Frame.CLOSE, awaiting));
        } else if (gatewayClosing.get()) {
            // the gateway's own close (shutdown's 1001, say) is on its way to the other side, and says more
        } else if (from == upstream) {
            sendClose(to, Frame.close(1011, "upstream connection failed"));
        } else {
            sendClose(to, Frame.close(1001, "client went away"));
        }
        if (upstream.gone() && client.gone()) finished.complete(null);
    }

    private void send(Leg to, Frame frame) {
        try {
            to.send(frame);
        } catch (IOException | RuntimeException e) {
            ended(to, to == upstream ? client : upstream);
        }
    }

    /** Sends a close to {@code to}; it is cut unless its side of the handshake is done within {@link #CLOSE_WAIT}. */
    private void sendClose(Leg to, Frame close) {
        try {
            if (to.sendClose(close)) {
                CompletableFuture.delayedExecutor(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS, executor).execute(() -> {
                    if (!to.gone()) to.cut();
                });
            }
        } catch (IOException | RuntimeException e) {
            ended(to, to == upstream ? client : upstream);
        }
    }
}
