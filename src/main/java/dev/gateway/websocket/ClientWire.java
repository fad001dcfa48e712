package dev.gateway.websocket;

import java.io.EOFException;
import java.io.IOException;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;

/**
 * The client leg: Helidon's reader and writer of the upgraded connection, used directly instead of Helidon's own
 * WebSocket session, which decodes every text frame to a String on its own (corrupting a character split across
 * fragments), reports a close without a code as 1000, and cannot send one.
 */
final class ClientWire implements Wire {
    private final ConnectionContext ctx;
    private final DataReader reader;
    private volatile Thread readerThread;

    ClientWire(ConnectionContext ctx) {
        this.ctx = ctx;
        this.reader = ctx.dataReader();
    }

    /** The thread that reads this wire, interrupted by {@link #cut} where the socket itself cannot be closed. */
    void readerThread(Thread thread) {
        this.readerThread = thread;
    }

    @Override
    public byte[] read(int n) throws IOException {
        if (n == 0) return new byte[0]; // Helidon's reader would wait for data first
        try {
            return reader.readBytes(n);
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw new EOFException("the client closed the connection");
        } catch (RuntimeException e) {
            throw new IOException("reading from the client failed", e);
        }
    }

    @Override
    public void skip(long n) throws IOException {
        try {
            while (n > 0) {
                int step = (int) Math.min(n, Integer.MAX_VALUE);
                reader.skip(step);
                n -= step;
            }
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw new EOFException("the client closed the connection");
        } catch (RuntimeException e) {
            throw new IOException("reading from the client failed", e);
        }
    }

    @Override
    public void write(byte[] head, byte[] body) throws IOException {
        try {
            ctx.dataWriter().writeNow(BufferData.create(head), BufferData.create(body));
        } catch (RuntimeException e) {
            throw new IOException("writing to the client failed", e);
        }
    }

    @Override
    public void cut() {
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            // no socket to close here: interrupting the reader makes Helidon close the connection
            Thread t = readerThread;
            if (t != null) t.interrupt();
        }
    }
}
