package dev.gateway.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One keep-alive HTTP/1.1 connection to a target, with its own read and write buffers: writes a request (head and
 * streamed body, chunked when the length is unknown), reads a response head, and hands out the buffered bytes to
 * the body stream. Reads wait without a socket timeout (a timed read on a virtual thread costs a timer per read,
 * about a sixth of the proxy's throughput); instead each wait has a deadline that the client's {@link Watchdog}
 * enforces by closing the socket, and a read that fails after that reports a timeout. Used by one request at a time.
 */
final class UpstreamConnection implements AutoCloseable {
    static final int BUFFER = 16 * 1024;
    /** A response head larger than this is refused: no real service sends one, and it bounds memory. */
    static final int MAX_HEAD = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String hostHeader;
    private final byte[] readBuffer = new byte[BUFFER];
    private final byte[] writeBuffer = new byte[BUFFER];
    private int readPos;
    private int readLimit;
    private int written;
    /** 0: not waiting; -1: the watchdog closed the socket; else the nanoTime by which data must arrive. */
    private final AtomicLong deadline = new AtomicLong();
    private long timeoutNanos;
    private boolean received;
    /** Requests this connection carried before the current one: a reused connection may have been closed meanwhile. */
    int uses;
    long idleSinceNanos;
    /** When the target said it closes idle connections (Keep-Alive: timeout), else Long.MAX_VALUE. */
    long keepAliveUntilNanos = Long.MAX_VALUE;

    private UpstreamConnection(Socket socket, String hostHeader) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.hostHeader = hostHeader;
    }

    /**
     * Connects to {@code origin} within {@code connectMillis}; for https through {@code tls}, with the host name
     * checked against the certificate.
     */
    static UpstreamConnection open(URI origin, int connectMillis, SSLSocketFactory tls) throws IOException {
        boolean secure = "https".equalsIgnoreCase(origin.getScheme());
        int port = origin.getPort() >= 0 ? origin.getPort() : secure ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(origin.getHost(), port), connectMillis);
            if (secure) {
                // the handshake is the one read with a socket timeout: no deadline is watched yet
                SSLSocket ssl = (SSLSocket) tls.createSocket(socket, origin.getHost(), port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(connectMillis);
                ssl.startHandshake();
                ssl.setSoTimeout(0);
                socket = ssl;
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        // as HttpClient libraries write it: the port only when the URL has one
        String host = origin.getHost().contains(":") ? "[" + origin.getHost() + "]" : origin.getHost();
        return new UpstreamConnection(socket, origin.getPort() >= 0 ? host + ":" + origin.getPort() : host);
    }

    /** Whether any byte of a response arrived on this request (a stale pooled connection answers nothing). */
    boolean received() {
        return received;
    }

    /** Starts a request whose reads may each wait at most {@code timeoutNanos} for data. */
    void begin(long timeoutNanos) {
        received = false;
        this.timeoutNanos = timeoutNanos;
    }

    /** From now on (the request is sent), data must come within the request's timeout. */
    void watch() {
        deadline.set(System.nanoTime() + timeoutNanos);
    }

    /** Stops watching (the response is done with); false when the watchdog had already closed the connection. */
    boolean unwatch() {
        return deadline.getAndSet(0) != -1;
    }

    /** For the watchdog: closes the connection when its deadline passed; true when it did. */
    boolean expire(long now) {
        long d = deadline.get();
        if (d <= 0 || now - d < 0 || !deadline.compareAndSet(d, -1)) return false;
        close();
        return true;
    }

    /** Data arrived: the next read gets the whole timeout again (the timeout bounds each silence, not the body). */
    private void progressed() {
        long d = deadline.get();
        if (d > 0) deadline.compareAndSet(d, System.nanoTime() + timeoutNanos);
    }

    /** A read or write failed: a timeout when the watchdog closed the socket, else the failure as it was. */
    private IOException ioFailure(IOException e) {
        if (deadline.get() != -1) return e;
        SocketTimeoutException timeout = new SocketTimeoutException("no data from the target within "
                + timeoutNanos / 1_000_000 + "ms");
        timeout.initCause(e);
        return timeout;
    }

    /**
     * Whether the target closed this idle connection (or sent something unasked): a read that waits a millisecond.
     * Called only for connections idle a while, as the check costs that millisecond.
     */
    boolean stale() {
        if (readPos < readLimit) return true;
        try {
            socket.setSoTimeout(1);
            int n = in.read(readBuffer, 0, readBuffer.length);
            if (n > 0) { // unasked bytes: the connection is out of step
                readPos = 0;
                readLimit = n;
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                socket.setSoTimeout(0);
            } catch (IOException e) {
                // closed: the connection is discarded as stale anyway
            }
        }
    }

    /** Writes the request head and streams its body; the head and a small body go out in one write. */
    void writeRequest(UpstreamRequest r) throws IOException {
        latin1(r.method());
        latin1(" ");
        latin1(r.pathAndQuery());
        latin1(" HTTP/1.1\r\nHost: ");
        latin1(hostHeader);
        write(CRLF, 0, 2);
        for (Map.Entry<String, String> h : r.headers()) {
            latin1(h.getKey());
            latin1(": ");
            latin1(h.getValue());
            write(CRLF, 0, 2);
        }
        InputStream body = r.body();
        if (body == null) {
            // RFC 9110 8.6: a request without content whose method gives content a meaning says so
            if (r.method().equals("POST") || r.method().equals("PUT") || r.method().equals("PATCH")) {
                latin1("Content-Length: 0\r\n");
            }
            latin1("\r\n");
        } else if (r.contentLength() >= 0) {
            latin1("Content-Length: " + r.contentLength() + "\r\n\r\n");
            copyFixed(body, r.contentLength());
        } else {
            latin1("Transfer-Encoding: chunked\r\n\r\n");
            copyChunked(body);
        }
        flush();
    }

    private void copyFixed(InputStream body, long length) throws IOException {
        long left = length;
        while (left > 0) {
            if (written == writeBuffer.length) flush();
            int n = body.read(writeBuffer, written, (int) Math.min(left, writeBuffer.length - written));
            if (n < 0) throw new ClientBodyException(new EOFException("request body ended " + left + " bytes early"));
            written += n;
            left -= n;
        }
    }

    private void copyChunked(InputStream body) throws IOException {
        byte[] chunk = new byte[BUFFER];
        for (int n; (n = body.read(chunk)) >= 0; ) {
            if (n == 0) continue;
            latin1(Integer.toHexString(n));
            write(CRLF, 0, 2);
            write(chunk, 0, n);
            write(CRLF, 0, 2);
        }
        write(LAST_CHUNK, 0, LAST_CHUNK.length);
    }

    /**
     * Header values are ISO-8859-1 on the wire (RFC 9110 5.5); the server side decoded them the same way. Copied in
     * bulk with the char-to-low-byte {@code String.getBytes}: a Latin-1 string's bytes as they are, without a loop
     * over its characters (the request head was the upstream client's largest cost).
     */
    @SuppressWarnings("deprecation")
    private void latin1(String s) throws IOException {
        int n = s.length();
        for (int from = 0; from < n; ) {
            if (written == writeBuffer.length) flush();
            int to = Math.min(n, from + writeBuffer.length - written);
            s.getBytes(from, to, writeBuffer, written);
            written += to - from;
            from = to;
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (len > writeBuffer.length - written) {
            flush();
            if (len > writeBuffer.length) {
                send(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, writeBuffer, written, len);
        written += len;
    }

    private void flush() throws IOException {
        if (written > 0) {
            send(writeBuffer, 0, written);
            written = 0;
        }
    }

    /**
     * Writes to the socket under the request's timeout: a target that stops reading (its receive window full) must
     * not hold the request forever. Only the socket write is timed, never the wait for the client's body.
     */
    private void send(byte[] b, int off, int len) throws IOException {
        long d = System.nanoTime() + timeoutNanos;
        deadline.set(d);
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw ioFailure(e);
        }
        if (!deadline.compareAndSet(d, 0)) throw ioFailure(new IOException("the watchdog closed the connection"));
    }

    /** Reads the response head, skipping interim (1xx) responses; {@code method}: the request's, for framing. */
    ResponseHead readHead(String method) throws IOException {
        while (true) {
            ResponseHead head = ResponseHead.parse(readLine(true), this::readLine, method);
            if (head.status() >= 200) return head;
            if (head.status() == 101) throw new IOException("unexpected 101 Switching Protocols");
        }
    }

    /**
     * One line without its CRLF (a bare LF ends one too), decoded as ISO-8859-1. {@code first}: EOF before any byte
     * is reported as the target having closed the connection.
     */
    private String readLine(boolean first) throws IOException {
        StringBuilder line = null;
        int total = 0;
        while (true) {
            if (readPos == readLimit && !fill()) {
                throw new EOFException(first && line == null ? "the target closed the connection without a response"
                        : "the response head ended early");
            }
            int start = readPos;
            while (readPos < readLimit && readBuffer[readPos] != '\n') readPos++;
            int end = readPos;
            boolean complete = readPos < readLimit;
            if (complete) readPos++; // past the LF
            total += end - start;
            if (total > MAX_HEAD) throw new IOException("response head larger than " + MAX_HEAD + " bytes");
            if (complete && line == null) { // the usual case: the whole line is in the buffer, CR left out at once
                if (end > start && readBuffer[end - 1] == '\r') end--;
                return new String(readBuffer, start, end - start, StandardCharsets.ISO_8859_1);
            }
            String part = new String(readBuffer, start, end - start, StandardCharsets.ISO_8859_1);
            if (complete) {
                String whole = line.append(part).toString();
                return whole.endsWith("\r") ? whole.substring(0, whole.length() - 1) : whole;
            }
            if (line == null) line = new StringBuilder(part.length() * 2);
            line.append(part);
        }
    }

    private String readLine() throws IOException {
        return readLine(false);
    }

    /** Refills the read buffer; false at end of stream. */
    private boolean fill() throws IOException {
        int n;
        try {
            n = in.read(readBuffer, 0, readBuffer.length);
        } catch (IOException e) {
            throw ioFailure(e);
        }
        if (n <= 0) return false;
        received = true;
        progressed();
        readPos = 0;
        readLimit = n;
        return true;
    }

    /** Bytes read from the socket and not yet consumed: what {@link #read} returns without waiting. */
    int buffered() {
        return readLimit - readPos;
    }

    /** Body bytes: from the buffer first, then the socket; -1 at end of stream. */
    int read(byte[] b, int off, int len) throws IOException {
        if (readPos == readLimit) {
            if (len >= readBuffer.length) {
                int n; // large reads skip the copy
                try {
                    n = in.read(b, off, len);
                } catch (IOException e) {
                    throw ioFailure(e);
                }
                if (n <= 0) return -1;
                progressed();
                return n;
            }
            if (!fill()) return -1;
        }
        int n = Math.min(len, readLimit - readPos);
        System.arraycopy(readBuffer, readPos, b, off, n);
        readPos += n;
        return n;
    }

    /** One line of a chunked body's framing (size lines, trailers), bounded like the head. */
    String readFramingLine() throws IOException {
        return readLine(false);
    }

    /** Whether bytes beyond the current response were received (the connection cannot be reused then). */
    boolean hasBufferedBytes() {
        return readPos < readLimit;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that will not close
        }
    }
}
