package dev.gateway.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The upstream leg's socket after its 101: {@code in} is the buffered stream the handshake answer was read from, so
 * frames the upstream sent right behind its 101 are not lost.
 */
final class SocketWire implements Wire {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SocketWire(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    @Override
    public byte[] read(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) throw new EOFException("the upstream closed the connection");
        return bytes;
    }

    @Override
    public void skip(long n) throws IOException {
        in.skipNBytes(n);
    }

    @Override
    public void write(byte[] head, byte[] body) throws IOException {
        out.write(head);
        if (body.length > 0) out.write(body);
        out.flush();
    }

    /** RFC 6455 7.1.1: the server closes the TCP connection first; a client waits for that before closing its own. */
    @Override
    public void awaitEnd() {
        try {
            socket.setSoTimeout((int) WebSocketRelay.CLOSE_WAIT.toMillis());
            byte[] discard = new byte[512];
            while (in.read(discard) != -1) {
                // nothing may follow a close frame; whatever does is dropped
            }
        } catch (IOException e) {
            // timed out or reset: closing is all that is left
        } finally {
            cut();
        }
    }

    @Override
    public void cut() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort: the socket is unusable either way
        }
    }
}
