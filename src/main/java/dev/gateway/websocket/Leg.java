package dev.gateway.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * One side of a relayed socket: its frames in and out, and where its closing handshake stands. Sends are serialised
 * (one side's reader and the gateway's own closes may send at once) and nothing is sent after a close frame.
 */
final class Leg {
    private final Wire wire;
    private final FrameReader reader;
    private final RandomGenerator maskKeys;
    private final ReentrantLock sends = new ReentrantLock();
    private final CompletableFuture<Void> closeSent = new CompletableFuture<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile byte[] closeReceived;
    private volatile boolean failed;

    /** {@code maskKeys}: null towards a client (unmasked frames), a secure source towards a server. */
    Leg(Wire wire, FrameReader reader, RandomGenerator maskKeys) {
        this.wire = wire;
        this.reader = reader;
        this.maskKeys = maskKeys;
    }

    Frame next() throws IOException {
        return reader.next();
    }

    /** Sends a data or ping/pong frame; dropped once a close went this way. */
    void send(Frame frame) throws IOException {
        sends.lock();
        try {
            if (!closeSent.isDone() && !gone.get()) write(frame);
        } finally {
            sends.unlock();
        }
    }

    /** Sends {@code close} unless a close already went this way; true when this one went. */
    boolean sendClose(Frame close) throws IOException {
        sends.lock();
        try {
            if (closeSent.isDone() || gone.get()) return false;
            write(close);
            closeSent.complete(null);
            return true;
        } finally {
            sends.unlock();
        }
    }

    private void write(Frame frame) throws IOException {
        if (maskKeys == null) {
            wire.write(FrameEncoder.head(frame), frame.payload());
        } else {
            wire.write(FrameEncoder.masked(frame, maskKeys), new byte[0]);
        }
    }

    boolean closeSent() {
        return closeSent.isDone();
    }

    /** Waits up to {@code max} for a close to go this way (the reply to this side's own close). */
    void awaitCloseSent(Duration max) {
        try {
            closeSent.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // not answered: the caller ends the leg anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The payload of the close this side sent, or null while it has sent none. */
    byte[] closeReceived() {
        return closeReceived;
    }

    void closeReceived(byte[] payload) {
        this.closeReceived = payload;
    }

    /** This side broke the protocol: nothing more it sends is relayed. */
    boolean failed() {
        return failed;
    }

    void fail() {
        this.failed = true;
    }

    boolean gone() {
        return gone.get();
    }

    /** Marks the leg ended; true for the caller that ended it. */
    boolean end() {
        return gone.compareAndSet(false, true);
    }

    void awaitEnd() {
        wire.awaitEnd();
    }

    void cut() {
        wire.cut();
    }
}
