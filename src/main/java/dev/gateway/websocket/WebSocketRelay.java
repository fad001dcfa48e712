package dev.gateway.websocket;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * One relayed socket: the client side is a Helidon {@link WsListener} (called on the connection's virtual thread),
 * the upstream side a JDK {@link WebSocket.Listener}. Every message part, ping, pong and close goes across as it
 * arrives, with flow control (the upstream is asked for its next message only once the previous one is written to
 * the client; client frames are read only once the previous one went upstream). Close handshakes are relayed both
 * ways with each side's own code and reason. Thread-safe.
 */
final class WebSocketRelay implements WsListener, WebSocket.Listener {
    /** How long one side's close reply is awaited before the socket is cut. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private enum State { OPEN, CLIENT_CLOSING, UPSTREAM_CLOSING, GATEWAY_CLOSING, CLOSED }

    private record Close(int code, String reason) {
    }

    private final String route;
    private final Object routeKey;
    private final long idleNanos;
    private final long maxFrameSize;
    private final Executor executor;
    private final Consumer<String> log;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final ReentrantLock clientSends = new ReentrantLock();
    private final CompletableFuture<Close> upstreamReply = new CompletableFuture<>();
    private final CompletableFuture<Void> clientReply = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile WsSession client;
    private volatile WebSocket upstream;
    private volatile Runnable cutClient = () -> { };
    private volatile long lastActivity = System.nanoTime();
    private volatile long drainDeadline;
    private boolean clientCloseSent;

    WebSocketRelay(String route, Object routeKey, Duration idleTimeout, long maxFrameSize, Executor executor,
                   Consumer<String> log) {
        this.route = route;
        this.routeKey = routeKey;
        this.idleNanos = idleTimeout.toNanos();
        this.maxFrameSize = maxFrameSize;
        this.executor = executor;
        this.log = log;
    }

    String route() {
        return route;
    }

    Object routeKey() {
        return routeKey;
    }

    /** Completes once both sides are done with. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    void upstream(WebSocket ws) {
        this.upstream = ws;
    }

    /** How to drop the client's TCP connection when it does not answer a close in time. */
    void cutClient(Runnable cut) {
        this.cutClient = cut;
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

    private void touch() {
        lastActivity = System.nanoTime();
    }

    // ---- client side (Helidon), on the client connection's thread ----

    @Override
    public void onOpen(WsSession session) {
        this.client = session;
        touch();
        upstream.request(1);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        touch();
        if (text.length() > maxFrameSize / 3 && text.getBytes(StandardCharsets.UTF_8).length > maxFrameSize) {
            tooBig();
            return;
        }
        toUpstream(() -> upstream.sendText(text, last));
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        touch();
        if (buffer.available() > maxFrameSize) {
            tooBig();
            return;
        }
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        toUpstream(() -> upstream.sendBinary(ByteBuffer.wrap(bytes), last));
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        touch();
        byte[] bytes = buffer.readBytes();
        toUpstream(() -> upstream.sendPing(ByteBuffer.wrap(bytes)));
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        touch();
        byte[] bytes = buffer.readBytes();
        toUpstream(() -> upstream.sendPong(ByteBuffer.wrap(bytes)));
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        touch();
        if (state.compareAndSet(State.OPEN, State.CLIENT_CLOSING)) {
            // the client closes first: pass its close on, and answer it with the upstream's reply
            Close reply;
            try {
                upstream.sendClose(CloseCodes.forUpstream(status), reason);
                reply = upstreamReply.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                reply = new Close(status, reason);
                upstream.abort();
            }
            closeClient(reply.code(), reply.reason());
            state.set(State.CLOSED);
        } else if (state.compareAndSet(State.UPSTREAM_CLOSING, State.CLOSED)) {
            // the client's answer to the upstream's close
            try {
                upstream.sendClose(CloseCodes.forUpstream(status), reason);
            } catch (RuntimeException e) {
                upstream.abort();
            }
            clientReply.complete(null);
        } else {
            state.set(State.CLOSED);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        log.accept("websocket on route '" + route + "': client side failed: " + t);
        WebSocket ws = upstream;
        if (ws != null) ws.abort();
    }

    /** The client's connection ended (after a close handshake, or abruptly): the upstream side goes too. */
    void clientGone() {
        State was = state.getAndSet(State.CLOSED);
        WebSocket ws = upstream;
        if (ws != null && !ws.isOutputClosed()) {
            if (was == State.OPEN) {
                try {
                    ws.sendClose(1001, "client went away");
                } catch (RuntimeException e) {
                    ws.abort();
                }
            }
            CompletableFuture.delayedExecutor(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS, executor)
                    .execute(ws::abort);
        }
        finished.complete(null);
    }

    private void tooBig() {
        gatewayClose(1009, "frame larger than " + maxFrameSize + " bytes");
    }

    /** Sends one thing upstream and waits for it: frames are read from the client only as fast as they go on. */
    private void toUpstream(java.util.function.Supplier<CompletableFuture<WebSocket>> send) {
        if (state.get() != State.OPEN) return;
        try {
            send.get().join();
        } catch (RuntimeException e) {
            upstreamFailed(e);
        }
    }

    // ---- upstream side (JDK client) ----

    @Override
    public void onOpen(WebSocket webSocket) {
        this.upstream = webSocket;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String text = data.toString();
        return toClient(s -> s.send(text, last));
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return toClient(s -> s.send(BufferData.create(bytes), last));
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        return toClient(s -> s.ping(BufferData.create(bytes)));
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        return toClient(s -> s.pong(BufferData.create(bytes)));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        touch();
        if (state.compareAndSet(State.OPEN, State.UPSTREAM_CLOSING)) {
            // the upstream closes first: pass its close on; the client's reply goes back (onClose above)
            CompletableFuture.runAsync(() -> closeClient(CloseCodes.forClient(statusCode), reason), executor);
            return clientReply.orTimeout(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((v, e) -> {
                        if (e != null) cutClient.run();
                    });
        }
        upstreamReply.complete(new Close(CloseCodes.forClient(statusCode), reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        upstreamFailed(error);
    }

    private void upstreamFailed(Throwable error) {
        if (state.get() == State.CLIENT_CLOSING) {
            upstreamReply.completeExceptionally(error);
            return;
        }
        if (state.get() == State.OPEN) log.accept("websocket on route '" + route + "': upstream failed: " + error);
        gatewayClose(1011, "upstream connection failed");
        WebSocket ws = upstream;
        if (ws != null) ws.abort();
    }

    /**
     * The gateway ends the socket itself (idle, route removed, shutdown, upstream failure, oversized frame): both
     * sides get {@code code}; the client is cut if it does not answer in time.
     */
    void gatewayClose(int code, String reason) {
        State was = state.get();
        if (was != State.OPEN || !state.compareAndSet(was, State.GATEWAY_CLOSING)) return;
        CompletableFuture.runAsync(() -> closeClient(code, reason), executor);
        WebSocket ws = upstream;
        if (ws != null && !ws.isOutputClosed()) {
            try {
                ws.sendClose(CloseCodes.forUpstream(code == 1011 ? 1001 : code), reason);
            } catch (RuntimeException e) {
                ws.abort();
            }
        }
        CompletableFuture.delayedExecutor(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS, executor).execute(() -> {
            if (!finished.isDone()) cutClient.run();
            if (ws != null) ws.abort();
        });
    }

    /** Relays one thing to the client off the JDK's threads; the upstream's next message is asked for afterwards. */
    private CompletableFuture<Void> toClient(Consumer<WsSession> send) {
        touch();
        return CompletableFuture.runAsync(() -> {
            if (withClient(send)) upstream.request(1);
        }, executor);
    }

    private void closeClient(int code, String reason) {
        clientSends.lock();
        try {
            if (clientCloseSent || client == null) return;
            clientCloseSent = true;
            client.close(code, CloseCodes.reason(reason));
        } catch (RuntimeException e) {
            cutClient.run();
        } finally {
            clientSends.unlock();
        }
    }

    /** Helidon's session is not safe for concurrent sends; nothing goes after our close. */
    private boolean withClient(Consumer<WsSession> send) {
        clientSends.lock();
        try {
            if (clientCloseSent || client == null) return false;
            send.accept(client);
            return true;
        } catch (RuntimeException e) {
            // the client's socket is gone: its connection thread ends and clientGone() closes the upstream
            cutClient.run();
            return false;
        } finally {
            clientSends.unlock();
        }
    }
}
